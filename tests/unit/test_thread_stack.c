/*
 * test_thread_stack.c — unit tests of src/core/thread_stack.c: the maps
 * parser (the line that holds an address, lines cut short, a path with
 * dashes and hexadecimal digits); a thread the agent did not see start
 * finds its stack in /proc/self/maps, one given its own stack
 * (pthread_attr_setstack) finds that; a noted stack is used as noted; a
 * stack pointer outside the thread's stack gets no top.
 */
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>

#include "run_suite.h"
#include "thread_stack.h"

static const char maps[] =
	"55d0c0000000-55d0c0001000 r--p 00000000 08:01 42 /usr/bin/dead-beef-cafe\n"
	"7f0000000000-7f0000021000 rw-p 00000000 00:00 0 \n"
	"7ffc00000000-7ffc00022000 rw-p 00000000 00:00 0                          [stack]\n"
	"7ffc00030000-7ffc";

START_TEST(maps_line_that_holds_the_address)
{
	uintptr_t lo = 0, hi = 0;
	ck_assert(thread_stack_find_in_maps(maps, 0x7ffc00001234, &lo, &hi));
	ck_assert_uint_eq(lo, 0x7ffc00000000);
	ck_assert_uint_eq(hi, 0x7ffc00022000);
	ck_assert(thread_stack_find_in_maps(maps, 0x7f0000020fff, &lo, &hi));
	ck_assert_uint_eq(hi, 0x7f0000021000);
	/* The end is not part of the range, nor is a gap, nor a cut line. */
	ck_assert(!thread_stack_find_in_maps(maps, 0x7f0000021000, &lo, &hi));
	ck_assert(!thread_stack_find_in_maps(maps, 0x7ffc00030000, &lo, &hi));
	/* "dead-beef" in a path is not a range. */
	ck_assert(!thread_stack_find_in_maps(maps, 0xdeadbee0, &lo, &hi));
	ck_assert(!thread_stack_find_in_maps("", 1, &lo, &hi));
}
END_TEST

struct seen {
	uintptr_t local, top;
};

static void *report_top(void *arg)
{
	struct seen *s = arg;
	int local = 0;
	s->local = (uintptr_t)&local;
	s->top = thread_stack_top((uintptr_t)&local);
	return NULL;
}

START_TEST(unseen_thread_finds_its_stack_in_proc_maps)
{
	struct seen s = { 0 };
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, report_top, &s), 0);
	pthread_join(t, NULL);
	ck_assert_uint_gt(s.top, s.local);
	ck_assert_uint_lt(s.top - s.local, (uintptr_t)64 << 20);
}
END_TEST

START_TEST(thread_with_its_own_stack_finds_that)
{
	size_t size = 1 << 20;
	char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(stack, MAP_FAILED);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, stack, size);
	struct seen s = { 0 };
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, &attr, report_top, &s), 0);
	pthread_join(t, NULL);
	ck_assert_uint_gt(s.local, (uintptr_t)stack);
	ck_assert_uint_eq(s.top, (uintptr_t)stack + size);
	munmap(stack, size);
}
END_TEST

struct noted {
	uintptr_t inside, outside;
};

static void *note_then_ask(void *arg)
{
	struct noted *n = arg;
	int local = 0;
	uintptr_t sp = (uintptr_t)&local;
	thread_stack_note(sp - 4096, sp + 4096);
	n->inside = thread_stack_top(sp);
	n->outside = thread_stack_top(sp + 8192);
	return NULL;
}

START_TEST(noted_stack_is_used_and_nothing_outside_it)
{
	struct noted n = { 0 };
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, note_then_ask, &n), 0);
	pthread_join(t, NULL);
	ck_assert_uint_ne(n.inside, 0);
	ck_assert_uint_eq(n.outside, 0);
}
END_TEST

START_TEST(first_thread_reaches_libc_stack_end)
{
	extern void *__libc_stack_end;
	int local = 0;
	ck_assert_uint_eq(thread_stack_top((uintptr_t)&local), (uintptr_t)__libc_stack_end);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("thread_stack");
	TCase *tc = tcase_create("thread_stack");
	tcase_add_test(tc, maps_line_that_holds_the_address);
	tcase_add_test(tc, unseen_thread_finds_its_stack_in_proc_maps);
	tcase_add_test(tc, thread_with_its_own_stack_finds_that);
	tcase_add_test(tc, noted_stack_is_used_and_nothing_outside_it);
	tcase_add_test(tc, first_thread_reaches_libc_stack_end);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
