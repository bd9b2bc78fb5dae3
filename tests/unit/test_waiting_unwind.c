/*
 * test_waiting_unwind.c — unit tests of the walk of a waiting thread's
 * stack without its rbp (src/report/waiting_unwind.c): from a copy of this
 * thread's own stack, starting in a function built with frame pointers
 * whose rbp is not given, the walk finds the frame pointer and gives the
 * same frames as a walk that knows it; follows_call tells a return address
 * from other words and never faults.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "run_suite.h"
#include "thread_stack.h"
#include "waiting_unwind.h"

#define FRAMES 8
#define WITH_FP __attribute__((noinline, optimize("no-omit-frame-pointer")))

static uintptr_t with_rbp[FRAMES], without_rbp[FRAMES];
static size_t n_with_rbp, n_without_rbp;
static uintptr_t return_address;

/* Walks its caller's stack twice, in a copy: knowing the caller's rbp, and
 * not knowing it (as /proc/self/task/TID/syscall leaves it). */
WITH_FP static void walk_from_here(void)
{
	uintptr_t *frame = __builtin_frame_address(0);
	struct unwind_regs caller = { .pc = frame[1], .sp = (uintptr_t)(frame + 2), .rbp = frame[0] };
	uintptr_t top = thread_stack_top(caller.sp);
	ck_assert_uint_gt(top, caller.sp);
	size_t len = top - caller.sp < 65536 ? top - caller.sp : 65536;
	unsigned char *copy = malloc(len);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, (const void *)caller.sp, len);
	struct stack_memory mem = { .lo = caller.sp, .hi = caller.sp + len, .copy = copy };
	return_address = caller.pc;
	n_with_rbp = unwind_stack(caller, &mem, with_rbp, FRAMES);
	n_without_rbp = unwind_waiting_thread(caller, &mem, without_rbp, FRAMES);
	free(copy);
}

/* Locals between its stack pointer and its frame pointer, none of them a
 * return address, for the scan to pass over. */
WITH_FP static void with_locals(int seed)
{
	volatile uintptr_t locals[6] = { 1, (uintptr_t)seed, 0x1000, (uintptr_t)&seed, 0, ~0UL };
	walk_from_here();
	locals[0]++;
}

WITH_FP static void outer(void)
{
	with_locals(42);
	__asm__ volatile("" ::: "memory");
}

START_TEST(the_walk_without_rbp_finds_the_frame_pointer)
{
	outer();
	ck_assert_uint_ge(n_with_rbp, 3);   /* with_locals, outer, this test */
	ck_assert_uint_eq(n_without_rbp, n_with_rbp);
	for (size_t i = 0; i < n_with_rbp; i++)
		ck_assert_msg(without_rbp[i] == with_rbp[i], "frame %zu: %#lx, want %#lx", i,
		              (unsigned long)without_rbp[i], (unsigned long)with_rbp[i]);
}
END_TEST

START_TEST(a_return_address_follows_a_call)
{
	outer();
	ck_assert_int_eq(follows_call(return_address), 1);
	ck_assert_int_eq(follows_call(0), 0);
	ck_assert_int_eq(follows_call(0x10), 0);
	ck_assert_int_eq(follows_call(0x1000), 0);      /* unmapped: no fault */
	ck_assert_int_eq(follows_call(UINTPTR_MAX), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("waiting_unwind");
	TCase *tc = tcase_create("waiting_unwind");
	tcase_add_test(tc, the_walk_without_rbp_finds_the_frame_pointer);
	tcase_add_test(tc, a_return_address_follows_a_call);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
