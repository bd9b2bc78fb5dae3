/*
 * test_unwind.c — unit tests of the agent's unwinder (src/core/unwind.c,
 * eh_frame.c, frame_rules.c): the frames of a known call chain, in order;
 * functions with and without frame pointers and with a realigned stack; the
 * way through a signal handler into the interrupted code; a copy of the
 * stack unwound like the stack itself; memory that ends early or holds
 * garbage, which must end the walk without a fault; and the outermost
 * frame, which ends it cleanly; the signal frames on the way to it, each
 * with the context it interrupted. The walk by frame pointers: a chain of
 * frames in a copied stack, followed to its end, and chains that turn
 * back, leave the stack or are misaligned, which end it.
 */
#include <check.h>
#include <dlfcn.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include "eh_frame.h"
#include "frame_rules.h"
#include "run_suite.h"
#include "unwind.h"

#define NOINLINE __attribute__((noinline, noipa))
#define MAX 64

static void *pcs[MAX];
static int npcs;
static volatile int sink;

/* Whether pc (a return address) lies inside function fn: its symbol, as
 * the dynamic linker names it, is fn's. */
static int in_function(void *pc, const char *fn)
{
	Dl_info info;
	return dladdr((char *)pc - 1, &info) && info.dli_sname && strcmp(info.dli_sname, fn) == 0;
}

/* The index of the first frame in fn at or after from, or -1. */
static int frame_of(const char *fn, int from)
{
	for (int i = from; i < npcs; i++)
		if (in_function(pcs[i], fn))
			return i;
	return -1;
}

NOINLINE void leaf(void)
{
	npcs = unwind_current_thread(NULL, pcs, MAX);
	sink++;
}

NOINLINE void middle(void)
{
	leaf();
	sink++;
}

__attribute__((noinline, noipa, optimize("no-omit-frame-pointer"))) void with_frame_pointer(void)
{
	middle();
	sink++;
}

NOINLINE void touch(char *p, size_t n)
{
	memset(p, 1, n);
}

/* An over-aligned local and a dynamic allocation make the compiler realign
 * the stack through a register, describing the CFA with an expression
 * (*(rbp - k)): the unwinder's ALIGNED rule. */
__attribute__((noinline, noipa, force_align_arg_pointer)) void realigned(void)
{
	char big[256] __attribute__((aligned(64)));
	char *dynamic = __builtin_alloca(16 + (size_t)(sink & 1));
	touch(big, sizeof big);
	touch(dynamic, 16);
	with_frame_pointer();
	sink++;
}

NOINLINE void outer(void)
{
	realigned();
	sink++;
}

START_TEST(call_chain_in_order)
{
	outer();
	int l = frame_of("leaf", 0), m = frame_of("middle", 0), f = frame_of("with_frame_pointer", 0);
	int r = frame_of("realigned", 0), o = frame_of("outer", 0);
	ck_assert_msg(l >= 0 && m > l && f > m && r > f && o > r,
	              "leaf %d middle %d fp %d realigned %d outer %d of %d", l, m, f, r, o, npcs);
	/* and on to the test runner and main */
	ck_assert_int_ge(frame_of("main", o), 0);
}
END_TEST

START_TEST(outermost_frame_ends_the_walk)
{
	outer();
	ck_assert_int_lt(npcs, MAX);
	int m = frame_of("main", 0);
	ck_assert_int_ge(m, 0);
	ck_assert_int_le(npcs - m, 4);   /* main, libc's start, _start */
}
END_TEST

static volatile sig_atomic_t in_handler;

void on_signal(int sig);

NOINLINE void on_signal(int sig)
{
	(void)sig;
	in_handler = 1;
	leaf();
	sink++;
}

NOINLINE void interrupted(void)
{
	raise(SIGUSR1);
	sink++;
}

START_TEST(walk_continues_through_a_signal_handler)
{
	signal(SIGUSR1, on_signal);
	interrupted();
	ck_assert(in_handler);
	int h = frame_of("on_signal", 0), i = frame_of("interrupted", 0);
	ck_assert_msg(h >= 0 && i > h, "handler %d interrupted %d of %d", h, i, npcs);
	ck_assert_int_ge(frame_of("main", i), 0);
}
END_TEST

static int contexts_seen, frames_crossed, accept_contexts;
static uintptr_t context_pc;

static int note_context(const void *context, void *arg)
{
	const ucontext_t *uc = context;
	(void)arg;
	contexts_seen++;
	context_pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	return accept_contexts;
}

static void walk_from_handler(int sig)
{
	(void)sig;
	frames_crossed = unwind_signal_frames(note_context, NULL);
}

START_TEST(signal_frames_are_counted_and_their_contexts_shown)
{
	Dl_info where;
	ck_assert_int_eq(unwind_signal_frames(note_context, NULL), 0);
	ck_assert_int_eq(contexts_seen, 0);
	signal(SIGUSR2, walk_from_handler);
	accept_contexts = 1;
	raise(SIGUSR2);
	ck_assert_int_eq(frames_crossed, 1);
	ck_assert_int_eq(contexts_seen, 1);
	/* The handler interrupted raise, in the C library. */
	ck_assert(dladdr((void *)context_pc, &where) != 0 && strstr(where.dli_fname, "libc.so"));
	accept_contexts = 0;
	raise(SIGUSR2);
	ck_assert_int_eq(frames_crossed, -1);
}
END_TEST

extern void *__libc_stack_end;

/* Unwinds from here over a copy of the live stack (at most keep_bytes of
 * it, and never past the top of this, the first thread's, stack). */
static NOINLINE size_t unwind_copy(uintptr_t *out, size_t keep_bytes)
{
	static unsigned char copy[1 << 16];
	uintptr_t *frame = __builtin_frame_address(0);
	struct unwind_regs regs = { .pc = frame[1], .sp = (uintptr_t)(frame + 2), .rbp = frame[0] };
	size_t available = (uintptr_t)__libc_stack_end - regs.sp;
	if (keep_bytes > available)
		keep_bytes = available;
	memcpy(copy, (void *)regs.sp, keep_bytes);
	struct stack_memory mem = { .lo = regs.sp, .hi = regs.sp + keep_bytes, .copy = copy };
	return unwind_stack(regs, &mem, out, MAX);
}

__attribute__((noinline, noipa, optimize("no-omit-frame-pointer"))) size_t copy_caller(uintptr_t *out,
                                                                                        size_t keep)
{
	size_t n = unwind_copy(out, keep);
	sink++;
	return n;
}

START_TEST(copied_stack_unwinds_like_the_stack)
{
	uintptr_t copied[MAX];
	size_t n = copy_caller(copied, 1 << 16);
	ck_assert_uint_ge(n, 3);
	ck_assert(in_function((void *)copied[0], "copy_caller"));
	memcpy(pcs, copied, n * sizeof copied[0]);
	npcs = (int)n;
	ck_assert_int_ge(frame_of("main", 0), 0);
}
END_TEST

/* Walks from its caller's registers at the call, as a hook's slow half
 * does (HOOK_CALLER), and returns them. */
__attribute__((noinline, noipa, optimize("no-omit-frame-pointer"))) struct unwind_regs
walk_from_caller(void)
{
	uintptr_t *frame = __builtin_frame_address(0);
	struct unwind_regs from = { .pc = frame[1], .sp = (uintptr_t)(frame + 2), .rbp = frame[0] };
	npcs = unwind_current_thread(&from, pcs, MAX);
	return from;
}

static int repeats(const struct unwind_regs *from, int max)
{
	return unwind_note_repeats(&unwind_note_last, from, max);
}

/* The note says a walk would repeat exactly while its registers, its depth
 * and every word it read are unchanged. */
NOINLINE void noted_walk_repeats_until_a_word_changes(void)
{
	struct unwind_regs from;
	int complete[2];
	volatile int walks = 2;   /* not unrolled: one call site, so the second walk starts where the first did */
	for (int i = 0; i < walks; i++) {
		from = walk_from_caller();
		complete[i] = unwind_note_last.complete;
	}
	ck_assert(!complete[0]);   /* a walk from a new place is not noted */
	ck_assert(complete[1]);
	ck_assert_int_ge(frame_of("noted_walk_repeats_until_a_word_changes", 0), 0);
	ck_assert_int_ge(frame_of("main", 0), 0);
	ck_assert(unwind_note_last.complete);
	ck_assert_int_gt(unwind_note_last.reads, 0);
	ck_assert(repeats(&from, MAX));
	ck_assert(!repeats(&from, MAX - 1));
	struct unwind_regs moved = from;
	moved.sp += sizeof(uintptr_t);
	ck_assert(!repeats(&moved, MAX));
	moved = from;
	moved.pc += 1;
	ck_assert(!repeats(&moved, MAX));
	/* The first word read is this function's return address. */
	volatile uintptr_t *word = (volatile uintptr_t *)unwind_note_last.addr[0];
	uintptr_t saved = *word;
	*word = saved ^ 16;
	int after_change = repeats(&from, MAX);
	*word = saved;
	ck_assert(!after_change);
	ck_assert(repeats(&from, MAX));
	sink++;
}

START_TEST(noted_walk_repeats_while_what_it_read_holds)
{
	noted_walk_repeats_until_a_word_changes();
}
END_TEST

START_TEST(memory_that_ends_early_ends_the_walk)
{
	uintptr_t copied[MAX];
	/* only the first frame's bytes: the walk stops, it does not read on */
	size_t n = copy_caller(copied, 64);
	ck_assert_uint_ge(n, 1);
	ck_assert_uint_le(n, 3);
}
END_TEST

START_TEST(garbage_ends_the_walk)
{
	static unsigned char zeros[4096], junk[4096];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(i * 131 + 7);
	uintptr_t out[MAX];
	struct unwind_regs regs = { .pc = (uintptr_t)outer + 5, .sp = 0x10000, .rbp = 0x10100 };
	struct stack_memory mem = { .lo = 0x10000, .hi = 0x10000 + sizeof zeros, .copy = zeros };
	ck_assert_uint_le(unwind_stack(regs, &mem, out, MAX), 2);
	mem.copy = junk;
	ck_assert_uint_le(unwind_stack(regs, &mem, out, MAX), MAX);
	regs.pc = 0x1234;   /* in no object */
	ck_assert_uint_eq(unwind_stack(regs, &mem, out, MAX), 1);
}
END_TEST

/* A copied stack at LO holding a chain of frame records (saved rbp, return
 * address); the code addresses are in no object, so never the agent's. */
#define LO 0x20000
static uintptr_t fp_stack[64];

static void put(uintptr_t addr, uintptr_t word)
{
	fp_stack[(addr - LO) / sizeof(uintptr_t)] = word;
}

static size_t walk_fp(uintptr_t rbp, uintptr_t *out)
{
	struct unwind_regs regs = { .pc = 0x1100, .sp = LO, .rbp = rbp };
	struct stack_memory mem = { .lo = LO, .hi = LO + sizeof fp_stack,
		                    .copy = (const unsigned char *)fp_stack };
	return unwind_stack_fp(regs, &mem, out, MAX);
}

START_TEST(frame_pointer_chain_is_followed_to_its_end)
{
	uintptr_t out[MAX];
	memset(fp_stack, 0, sizeof fp_stack);
	put(LO + 0x20, LO + 0x60);
	put(LO + 0x28, 0x1201);
	put(LO + 0x60, LO + 0xa0);
	put(LO + 0x68, 0x1302);
	put(LO + 0xa0, 0);   /* the outermost frame: no caller's rbp */
	put(LO + 0xa8, 0x1403);
	ck_assert_uint_eq(walk_fp(LO + 0x20, out), 4);
	ck_assert_uint_eq(out[0], 0x1100);
	ck_assert_uint_eq(out[1], 0x1201);
	ck_assert_uint_eq(out[2], 0x1302);
	ck_assert_uint_eq(out[3], 0x1403);
}
END_TEST

START_TEST(frame_pointer_chain_that_turns_back_leaves_or_is_misaligned_ends)
{
	uintptr_t out[MAX];
	memset(fp_stack, 0, sizeof fp_stack);
	put(LO + 0x20, LO + 0x60);
	put(LO + 0x28, 0x1201);
	put(LO + 0x60, LO + 0x20);   /* back down the stack: a loop */
	put(LO + 0x68, 0x1302);
	ck_assert_uint_eq(walk_fp(LO + 0x20, out), 3);
	put(LO + 0x60, LO + 0x10000);   /* off the stack */
	ck_assert_uint_eq(walk_fp(LO + 0x20, out), 3);
	put(LO + 0x60, LO + 0xa3);   /* misaligned */
	ck_assert_uint_eq(walk_fp(LO + 0x20, out), 3);
	ck_assert_uint_eq(walk_fp(LO + sizeof fp_stack - 8, out), 1);   /* no room for a record */
	ck_assert_uint_eq(walk_fp(LO - 0x40, out), 1);                  /* below the stack */
}
END_TEST

START_TEST(rules_for_known_places)
{
	outer();
	ck_assert_uint_eq(eh_frame_rule(0x1234).kind, FRAME_NONE);
	struct frame_rule r = eh_frame_rule((uintptr_t)middle + 1);
	ck_assert_uint_eq(r.kind, FRAME_STANDARD);
	/* the cache answers as the unwind data does, again and again */
	for (int i = 0; i < 3; i++) {
		struct frame_rule c = frame_rule_for((uintptr_t)middle + 1);
		ck_assert_uint_eq(c.kind, r.kind);
		ck_assert_int_eq(c.cfa_offset, r.cfa_offset);
		ck_assert_uint_eq(c.cfa_reg, r.cfa_reg);
	}
	/* inside the realigned function's body the CFA is an expression */
	ck_assert_uint_eq(frame_rule_for((uintptr_t)pcs[frame_of("realigned", 0)] - 1).kind,
	                  FRAME_ALIGNED);
	/* the first instruction of a function: the CFA is just above the
	 * return address */
	r = eh_frame_rule((uintptr_t)outer);
	ck_assert_uint_eq(r.kind, FRAME_STANDARD);
	ck_assert_uint_eq(r.cfa_reg, CFA_RSP);
	ck_assert_int_eq(r.cfa_offset, 8);
	ck_assert_uint_eq(r.rbp_from, RBP_UNCHANGED);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("unwind");
	TCase *tc = tcase_create("unwind");
	tcase_add_test(tc, call_chain_in_order);
	tcase_add_test(tc, noted_walk_repeats_while_what_it_read_holds);
	tcase_add_test(tc, outermost_frame_ends_the_walk);
	tcase_add_test(tc, walk_continues_through_a_signal_handler);
	tcase_add_test(tc, signal_frames_are_counted_and_their_contexts_shown);
	tcase_add_test(tc, copied_stack_unwinds_like_the_stack);
	tcase_add_test(tc, memory_that_ends_early_ends_the_walk);
	tcase_add_test(tc, garbage_ends_the_walk);
	tcase_add_test(tc, rules_for_known_places);
	tcase_add_test(tc, frame_pointer_chain_is_followed_to_its_end);
	tcase_add_test(tc, frame_pointer_chain_that_turns_back_leaves_or_is_misaligned_ends);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
