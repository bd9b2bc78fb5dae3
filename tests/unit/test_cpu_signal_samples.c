/*
 * test_cpu_signal_samples.c — unit tests of src/core/cpu_signal_samples.c
 * (what the SIGPROF handler takes): a sample carries the interrupted pc,
 * its periods and a copy of the stack from sp up, filed at the drain; a
 * stack pointer at unmapped memory copies nothing and does not fault; with
 * every buffer full, samples are counted as lost, not dropped silently;
 * errno is left as it was; a forked child's reset frees every buffer.
 */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <ucontext.h>

#include "buckets.h"
#include "cpu_record.h"
#include "cpu_signal_samples.h"
#include "run_suite.h"

static ucontext_t context(uintptr_t pc, uintptr_t sp, uintptr_t bp)
{
	ucontext_t uc;
	memset(&uc, 0, sizeof uc);
	uc.uc_mcontext.gregs[REG_RIP] = (greg_t)pc;
	uc.uc_mcontext.gregs[REG_RSP] = (greg_t)sp;
	uc.uc_mcontext.gregs[REG_RBP] = (greg_t)bp;
	return uc;
}

struct found {
	uintptr_t leaf;
	uint64_t samples, nanos;
	size_t depth;
};

static void find_leaf(struct bucket *b, void *arg)
{
	struct found *f = arg;
	if (b->nstk > 0 && b->stk[0] == f->leaf + 1) {
		f->samples += atomic_load(&b->rec.cpu.samples);
		f->nanos += atomic_load(&b->rec.cpu.nanos);
		f->depth = b->nstk;
	}
}

static struct found filed(uintptr_t leaf)
{
	struct found f = { leaf, 0, 0, 0 };
	buckets_visit(BUCKET_CPU, find_leaf, &f);
	return f;
}

static void setup(void)
{
	ck_assert_int_eq(cpu_signal_samples_init(), 0);
	cpu_signal_samples_reset();
	cpu_records_clear(1);
}

/* A function interrupted at its first instruction: its return address is
 * at sp. */
static __attribute__((noinline)) int interrupted(int x)
{
	return x * 3 + 1;
}

START_TEST(a_sample_is_filed_with_its_periods_and_its_stack_copy)
{
	uintptr_t frame[4] = { 0x405123, 0, 0, 0 };
	uintptr_t pc = (uintptr_t)interrupted;
	ucontext_t uc = context(pc, (uintptr_t)frame, 0);
	errno = 1234;
	cpu_signal_samples_take(&uc, 3);
	ck_assert_int_eq(errno, 1234);
	frame[0] = 0;   /* the copy was taken at the signal, not at the drain */
	cpu_signal_samples_drain(1000000);
	struct found f = filed(pc);
	ck_assert_uint_eq(f.samples, 3);
	ck_assert_uint_eq(f.nanos, 3000000);
	ck_assert_uint_eq(f.depth, 2);
	ck_assert_int_eq(interrupted(1), 4);
}
END_TEST

START_TEST(an_unmapped_stack_copies_nothing_and_does_not_fault)
{
	ucontext_t uc = context(0x406000, 0x1000, 0x1000);
	cpu_signal_samples_take(&uc, 1);
	cpu_signal_samples_drain(10);
	struct found f = filed(0x406000);
	ck_assert_uint_eq(f.samples, 1);
	ck_assert_uint_eq(f.depth, 1);
}
END_TEST

START_TEST(full_buffers_count_samples_as_lost)
{
	ucontext_t uc = context(0x407000, 0x1000, 0);
	for (size_t i = 0; i < cpu_signal_samples_capacity() + 5; i++)
		cpu_signal_samples_take(&uc, 2);
	cpu_signal_samples_drain(1);
	ck_assert_uint_eq(filed(0x407000).samples, 2 * cpu_signal_samples_capacity());
	ck_assert_uint_eq(cpu_lost_samples(), 10);
	/* The drain freed them all. */
	cpu_signal_samples_take(&uc, 1);
	cpu_signal_samples_drain(1);
	ck_assert_uint_eq(filed(0x407000).samples, 2 * cpu_signal_samples_capacity() + 1);
}
END_TEST

START_TEST(a_forked_childs_reset_frees_every_buffer)
{
	ucontext_t uc = context(0x408000, 0x1000, 0);
	cpu_signal_samples_take(&uc, 1);
	cpu_signal_samples_reset();
	cpu_signal_samples_drain(1);
	ck_assert_uint_eq(filed(0x408000).samples, 0);
}
END_TEST

START_TEST(the_stack_of_this_process_is_readable)
{
	ck_assert_int_eq(cpu_signal_samples_stack_readable(), 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cpu_signal_samples");
	TCase *tc = tcase_create("cpu_signal_samples");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, a_sample_is_filed_with_its_periods_and_its_stack_copy);
	tcase_add_test(tc, an_unmapped_stack_copies_nothing_and_does_not_fault);
	tcase_add_test(tc, full_buffers_count_samples_as_lost);
	tcase_add_test(tc, a_forked_childs_reset_frees_every_buffer);
	tcase_add_test(tc, the_stack_of_this_process_is_readable);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
