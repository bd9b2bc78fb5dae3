/*
 * test_cpu_record.c — unit tests of src/core/cpu_record.c: a sample is
 * filed in the bucket of its stack, its leaf the interrupted pc itself
 * (stored plus one, as every exact pc is, so that minus one lies in it);
 * samples of one stack add up; lost samples are filed under their
 * pseudo-frame with the CPU time they stand for; clearing starts a new
 * interval, lost samples included; and a stack copy that cannot be read ends the stack at
 * the leaf instead of reading outside it.
 */
#include <check.h>

#include "buckets.h"
#include "cpu_record.h"
#include "run_suite.h"

static struct bucket *leaf_bucket(uintptr_t pc)
{
	const uintptr_t stk[] = { pc + 1 };
	return bucket_for_stack(BUCKET_CPU, stk, 1);
}

static const struct stack_memory no_stack = { 0, 0, NULL };

START_TEST(samples_of_one_stack_add_up)
{
	struct unwind_regs regs = { .pc = 0x401000, .sp = 0x7000, .rbp = 0 };
	cpu_record_sample(regs, &no_stack, 1, 1000000);
	cpu_record_sample(regs, &no_stack, 1, 1000000);
	struct bucket *b = leaf_bucket(0x401000);
	ck_assert_uint_eq(atomic_load(&b->rec.cpu.samples), 2);
	ck_assert_uint_eq(atomic_load(&b->rec.cpu.nanos), 2000000);
	ck_assert_uint_eq(b->nstk, 1);
}
END_TEST

START_TEST(clearing_starts_a_new_interval)
{
	struct unwind_regs regs = { .pc = 0x402000 };
	cpu_record_sample(regs, &no_stack, 1, 500);
	cpu_record_lost(7);
	ck_assert_uint_eq(cpu_lost_samples(), 7);
	cpu_records_clear(123456789);
	struct bucket *b = leaf_bucket(0x402000);
	ck_assert_uint_eq(atomic_load(&b->rec.cpu.samples), 0);
	ck_assert_uint_eq(atomic_load(&b->rec.cpu.nanos), 0);
	ck_assert_uint_eq(cpu_lost_samples(), 0);
	ck_assert_int_eq(cpu_interval_start(), 123456789);
	cpu_record_sample(regs, &no_stack, 1, 500);
	ck_assert_uint_eq(atomic_load(&b->rec.cpu.samples), 1);
}
END_TEST

START_TEST(lost_samples_keep_their_cpu_time)
{
	const uintptr_t lost_stack[] = { BUCKET_LOST_PC };
	cpu_record_set_period(1000000);
	cpu_record_lost(5);
	struct bucket *b = bucket_for_stack(BUCKET_CPU, lost_stack, 1);
	ck_assert_uint_eq(atomic_load(&b->rec.cpu.samples), 5);
	ck_assert_uint_eq(atomic_load(&b->rec.cpu.nanos), 5000000);
	ck_assert_uint_eq(cpu_lost_samples(), 5);
}
END_TEST

START_TEST(copy_too_short_to_read_ends_the_stack_at_the_leaf)
{
	unsigned char copy[4] = { 0 };
	const struct stack_memory mem = { 0x7000, 0x7004, copy };
	struct unwind_regs regs = { .pc = 0x403000, .sp = 0x7000, .rbp = 0x7000 };
	cpu_record_sample(regs, &mem, 1, 1);
	ck_assert_uint_eq(atomic_load(&leaf_bucket(0x403000)->rec.cpu.samples), 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cpu_record");
	TCase *tc = tcase_create("cpu_record");
	tcase_add_test(tc, samples_of_one_stack_add_up);
	tcase_add_test(tc, clearing_starts_a_new_interval);
	tcase_add_test(tc, lost_samples_keep_their_cpu_time);
	tcase_add_test(tc, copy_too_short_to_read_ends_the_stack_at_the_leaf);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
