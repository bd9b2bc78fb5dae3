/*
 * test_events.c — unit tests of src/core/events.c with scripted random
 * numbers and stacks: Go's block sampling (events at least as long as the
 * rate always kept at their length; shorter ones kept with probability
 * about d/rate and then weighted by rate/d, so the expected count is one
 * and the expected delay d), mutex sampling (1 in fraction, scaled by the
 * fraction at record time), thread creations, and the switches and guard
 * that keep each of them off.
 */
#include <check.h>

#include "buckets.h"
#include "core.h"
#include "events.h"
#include "fake_sys.h"
#include "rates.h"
#include "run_suite.h"

static const uintptr_t waiter[] = { 0x1111, 0x2222 };

static void setup(void)
{
	fake_sys_install();
	fake_stack_set(waiter, 2);
	rates_start_profiling();
}

static struct block_record *record_of(enum bucket_kind kind)
{
	return &bucket_for_stack(kind, waiter, 2)->rec.block;
}

START_TEST(long_block_is_kept_at_its_length)
{
	rates_set_block(1000);
	block_event(5000, NULL);
	block_event(1000, NULL);
	ck_assert_uint_eq(atomic_load(&record_of(BUCKET_BLOCK)->count), 2 * EST_ONE);
	ck_assert_uint_eq(atomic_load(&record_of(BUCKET_BLOCK)->cycles), 6000);
}
END_TEST

START_TEST(short_block_is_sampled_and_weighted)
{
	/* d = 250 at rate 1000: kept when random % 1000 <= 250. */
	uint64_t script[] = { 250, 251, 999, 0 };
	rates_set_block(1000);
	fake_random_script(script, 4);
	block_event(250, NULL);   /* kept */
	block_event(250, NULL);   /* dropped */
	block_event(250, NULL);   /* dropped */
	block_event(250, NULL);   /* kept */
	struct block_record *r = record_of(BUCKET_BLOCK);
	/* each kept event stands for rate/d = 4 events and rate = 1000 ns */
	ck_assert_uint_eq(atomic_load(&r->count), 2 * 4 * EST_ONE);
	ck_assert_uint_eq(atomic_load(&r->cycles), 2 * 1000);
}
END_TEST

START_TEST(block_sampling_keeps_d_plus_one_in_rate)
{
	/* Random numbers cycling through every residue mod the rate: Go's rule
	 * keeps exactly d+1 of every `rate` events shorter than the rate. */
	enum { RATE = 64, D = 16 };
	uint64_t script[RATE];
	for (int i = 0; i < RATE; i++)
		script[i] = (uint64_t)i;
	rates_set_block(RATE);
	for (int round = 0; round < 10; round++) {
		fake_random_script(script, RATE);
		for (int i = 0; i < RATE; i++)
			block_event(D, NULL);
	}
	struct block_record *r = record_of(BUCKET_BLOCK);
	/* 640 events of 16 ns, 10240 ns in all: 10 x 17 kept, each counted as
	 * rate/d = 4 events of rate ns in all */
	ck_assert_uint_eq(atomic_load(&r->cycles), 10 * (D + 1) * RATE);
	ck_assert_uint_eq(atomic_load(&r->count) / EST_ONE, 10 * (D + 1) * (RATE / D));
}
END_TEST

START_TEST(block_of_no_time_counts_as_one_nanosecond)
{
	rates_set_block(1);
	block_event(0, NULL);
	block_event(-5, NULL);
	ck_assert_uint_eq(atomic_load(&record_of(BUCKET_BLOCK)->cycles), 2);
}
END_TEST

START_TEST(block_off_or_guarded_records_nothing)
{
	rates_set_block(0);
	block_event(5000, NULL);
	rates_set_block(1);
	agent_enter();
	block_event(5000, NULL);
	agent_leave();
	ck_assert_uint_eq(atomic_load(&record_of(BUCKET_BLOCK)->count), 0);
}
END_TEST

START_TEST(mutex_event_is_one_in_fraction_scaled_by_it)
{
	uint64_t script[] = { 10, 11, 12, 13, 14 };   /* only 10 % 5 == 0 */
	rates_set_mutex_fraction(5);
	fake_random_script(script, 5);
	for (int i = 0; i < 5; i++)
		mutex_event(300, NULL);
	struct block_record *r = record_of(BUCKET_MUTEX);
	ck_assert_uint_eq(atomic_load(&r->count), 5 * EST_ONE);
	ck_assert_uint_eq(atomic_load(&r->cycles), 5 * 300);
}
END_TEST

START_TEST(mutex_event_at_fraction_one_is_exact)
{
	rates_set_mutex_fraction(1);
	mutex_event(300, NULL);
	mutex_event(700, NULL);
	mutex_event(0, NULL);   /* nothing charged: not an event */
	struct block_record *r = record_of(BUCKET_MUTEX);
	ck_assert_uint_eq(atomic_load(&r->count), 2 * EST_ONE);
	ck_assert_uint_eq(atomic_load(&r->cycles), 1000);
}
END_TEST

START_TEST(threadcreate_counts_each_creation)
{
	rates_set_threadcreate(1);
	threadcreate_event(NULL);
	threadcreate_event(NULL);
	rates_set_threadcreate(0);
	threadcreate_event(NULL);
	rates_set_threadcreate(1);
	agent_enter();
	threadcreate_event(NULL);
	agent_leave();
	ck_assert_uint_eq(atomic_load(&bucket_for_stack(BUCKET_THREADCREATE, waiter, 2)->rec.count), 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("events");
	tcase_add_checked_fixture(tc, setup, fake_sys_restore);
	tcase_add_test(tc, long_block_is_kept_at_its_length);
	tcase_add_test(tc, short_block_is_sampled_and_weighted);
	tcase_add_test(tc, block_sampling_keeps_d_plus_one_in_rate);
	tcase_add_test(tc, block_of_no_time_counts_as_one_nanosecond);
	tcase_add_test(tc, block_off_or_guarded_records_nothing);
	tcase_add_test(tc, mutex_event_is_one_in_fraction_scaled_by_it);
	tcase_add_test(tc, mutex_event_at_fraction_one_is_exact);
	tcase_add_test(tc, threadcreate_counts_each_creation);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
