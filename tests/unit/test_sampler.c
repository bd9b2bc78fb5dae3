/*
 * test_sampler.c — unit tests of src/core/sampler.c: the exponential gaps
 * (exact values for scripted random numbers, and the mean over the real
 * generator), the probability that an allocation of a given size is
 * sampled (against 1 - exp(-size/rate)), a thread's first draw, rate 1,
 * and the inverse-probability weights (Go's worked example).
 */
#include <check.h>
#include <math.h>

#include "core_sys.h"
#include "fake_sys.h"
#include "run_suite.h"
#include "sampler.h"

#define RATE 524288

/* The random number whose top 26 bits give q - 1 (q in [1, 2^26]). */
static uint64_t random_for_q(uint64_t q)
{
	return (q - 1) << 38;
}

START_TEST(gap_follows_the_inverse_transform)
{
	uint64_t script[] = { random_for_q(1 << 26), random_for_q(1 << 25), random_for_q(1) };
	fake_sys_install();
	fake_random_script(script, 3);
	/* U = 1: -ln U = 0, plus one. */
	ck_assert_int_eq(sampler_next_gap(RATE), 1);
	/* U = 1/2: ln 2 x rate, truncated, plus one. */
	ck_assert_int_eq(sampler_next_gap(RATE), (int64_t)(M_LN2 * RATE) + 1);
	/* U = 2^-26, the smallest: 26 ln 2 x rate, the longest gap. */
	ck_assert_int_eq(sampler_next_gap(RATE), (int64_t)(26.0 * M_LN2 * RATE) + 1);
	fake_sys_restore();
}
END_TEST

START_TEST(gap_mean_is_capped_like_go)
{
	uint64_t script[] = { random_for_q(1 << 25) };
	fake_sys_install();
	fake_random_script(script, 1);
	/* Means above 0x7000000 are drawn as 0x7000000, so gaps fit in int32. */
	ck_assert_int_eq(sampler_next_gap(INT64_C(1) << 40), (int64_t)(M_LN2 * 0x7000000) + 1);
	ck_assert_int_eq(sampler_next_gap(1), 0);
	ck_assert_int_eq(sampler_next_gap(0), INT64_MAX);
	fake_sys_restore();
}
END_TEST

START_TEST(gap_mean_is_rate)
{
	const int n = 400000;
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += (double)sampler_next_gap(RATE);
	double mean = sum / n;
	/* standard error of the mean: 524288/sqrt(n) ~ 830; allow 5 sigma */
	ck_assert_msg(fabs(mean - RATE) < 4200, "mean gap %.0f, want %d", mean, RATE);
}
END_TEST

/* Empirical P(sampled) of a size, in the steady state. */
static double sampled_fraction(size_t size, int64_t rate, int trials)
{
	struct sampler_thread t = { 0 };
	int hits = 0;
	for (int i = 0; i < 1000; i++)
		sampler_decide_slow(&t, rate, 1);
	for (int i = 0; i < trials; i++) {
		if ((int64_t)size < t.next_sample)
			t.next_sample -= (int64_t)size;
		else
			hits += sampler_decide_slow(&t, rate, size);
	}
	return (double)hits / trials;
}

START_TEST(sampling_probability_matches_poisson)
{
	const size_t sizes[] = { 4096, 100000, 1 << 20 };
	for (size_t i = 0; i < 3; i++) {
		double want = -expm1(-(double)sizes[i] / RATE);
		double got = sampled_fraction(sizes[i], RATE, 200000);
		double se = sqrt(want * (1 - want) / 200000);
		ck_assert_msg(fabs(got - want) < 5 * se + 1e-4, "size %zu: P %.5f want %.5f",
		              sizes[i], got, want);
	}
}
END_TEST

START_TEST(first_allocation_counts_against_the_first_gap)
{
	uint64_t script[] = { random_for_q(1 << 25) };
	struct sampler_thread t = { 0 };
	int64_t gap = (int64_t)(M_LN2 * RATE) + 1;
	fake_sys_install();
	fake_random_script(script, 1);
	ck_assert_int_eq(sampler_decide_slow(&t, RATE, 100), 0);
	ck_assert(t.started);
	ck_assert_int_eq(t.next_sample, gap - 100);
	/* An allocation that reaches the countdown is sampled, and a fresh
	 * gap replaces the leftover. */
	ck_assert_int_eq(sampler_decide_slow(&t, RATE, (size_t)gap), 1);
	ck_assert_int_eq(t.next_sample, gap);
	fake_sys_restore();
}
END_TEST

START_TEST(rate_one_samples_everything)
{
	struct sampler_thread t = { 0 };
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(sampler_decide_slow(&t, 1, 8), 1);
}
END_TEST

START_TEST(rate_zero_samples_nothing)
{
	rates_start_profiling();
	rates_set_heap(0);
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(sampler_should_sample(1 << 20), 0);
	rates_set_heap(1);
	ck_assert_int_eq(sampler_should_sample(8), 1);
	rates_set_heap(0);
}
END_TEST

/* The fast path's countdown stands in for every switch (sampler.h). */
START_TEST(switches_are_folded_into_the_countdown)
{
	/* Before the start: nothing is sampled, and the thread looks again
	 * after SAMPLER_OFF_RECHECK bytes. */
	rates_set_heap(1);
	ck_assert_int_eq(sampler_should_sample(8), 0);
	ck_assert_int_eq(sampler_thread.next_sample, SAMPLER_OFF_RECHECK);
	/* Starting restarts the calling thread: at rate 1 every allocation
	 * decides (the countdown stays 0) and is sampled. */
	rates_start_profiling();
	ck_assert_int_eq(sampler_thread.next_sample, 0);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(sampler_should_sample(8), 1);
	ck_assert_int_eq(sampler_thread.next_sample, 0);
	/* Turned off by another thread (no restart here): seen at the next
	 * decision, then rechecked after SAMPLER_OFF_RECHECK bytes. */
	atomic_store(&heap_rate, 0);
	ck_assert_int_eq(sampler_should_sample(8), 0);
	ck_assert_int_eq(sampler_thread.next_sample, SAMPLER_OFF_RECHECK);
	atomic_store(&heap_rate, 1);
	for (int i = 0; i < SAMPLER_OFF_RECHECK / 4096 - 1; i++)
		ck_assert_int_eq(sampler_should_sample(4096), 0);
	ck_assert_int_eq(sampler_should_sample(4096), 1);
	/* Under the guard (the agent's own allocations): never sampled; a
	 * fresh gap is drawn. */
	rates_set_heap(RATE);
	agent_enter();
	ck_assert_int_eq(sampler_should_sample(1 << 30), 0);
	ck_assert(sampler_thread.next_sample > 0);
	agent_leave();
	/* A rate set on this thread applies at its next allocation. */
	rates_set_heap(1);
	ck_assert_int_eq(sampler_thread.next_sample, 0);
	ck_assert_int_eq(sampler_should_sample(8), 1);
}
END_TEST

START_TEST(a_countdown_left_from_a_larger_rate_ends_at_rate_one)
{
	struct sampler_thread t = { .next_sample = 100, .started = 1 };
	ck_assert_int_eq(sampler_decide_slow(&t, 1, 200), 1);
	ck_assert_int_eq(t.next_sample, 0);
}
END_TEST

START_TEST(weight_is_inverse_probability)
{
	ck_assert_double_eq_tol(sampler_weight(RATE, RATE), 1.0 / (1.0 - exp(-1.0)), 1e-9);
	ck_assert_double_eq(sampler_weight(100, 1), 1.0);
	ck_assert_double_eq(sampler_weight(0, RATE), 1.0);
	ck_assert(sampler_weight(1 << 30, RATE) < 1.0000001);
	/* Go's worked example: 58 objects of 60817408 bytes in all at the
	 * default rate are reported as 67 objects. */
	double w = sampler_weight(60817408 / 58, RATE);
	ck_assert_int_eq((int64_t)(58 * w), 67);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sampler");
	TCase *tc = tcase_create("sampler");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, gap_follows_the_inverse_transform);
	tcase_add_test(tc, gap_mean_is_capped_like_go);
	tcase_add_test(tc, gap_mean_is_rate);
	tcase_add_test(tc, sampling_probability_matches_poisson);
	tcase_add_test(tc, first_allocation_counts_against_the_first_gap);
	tcase_add_test(tc, rate_one_samples_everything);
	tcase_add_test(tc, rate_zero_samples_nothing);
	tcase_add_test(tc, switches_are_folded_into_the_countdown);
	tcase_add_test(tc, a_countdown_left_from_a_larger_rate_ends_at_rate_one);
	tcase_add_test(tc, weight_is_inverse_probability);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
