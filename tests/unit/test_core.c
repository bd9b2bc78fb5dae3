/*
 * test_core.c — Check unit tests of the agent's core data structures and
 * maths: the exponential sampler (mean gap, sampling probabilities), the
 * inverse-probability weights, the stack buckets (lookup, dedup, overflow
 * bucket at the memory cap) and the exact sampled-address table (no entry
 * lost or confused under many inserts and removes, in any order).
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "arena.h"
#include "buckets.h"
#include "heap_record.h"
#include "sampled_addrs.h"
#include "sampler.h"

START_TEST(gap_mean_is_rate)
{
	const int n = 400000;
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += (double)sampler_next_gap(524288);
	double mean = sum / n;
	/* standard error of the mean: 524288/sqrt(n) ~ 830; allow 5 sigma */
	ck_assert_msg(fabs(mean - 524288) < 4200, "mean gap %.0f, want 524288", mean);
}
END_TEST

/* Empirical P(sampled) of a size against 1 - exp(-size/rate), as in the
 * Monte-Carlo check of pprof-format.md §4.1. */
static double sampled_fraction(size_t size, int64_t rate, int trials)
{
	struct sampler_thread t = { 0 };
	int hits = 0;
	for (int i = 0; i < 1000; i++)   /* settle into the steady state */
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
		double want = -expm1(-(double)sizes[i] / 524288.0);
		double got = sampled_fraction(sizes[i], 524288, 200000);
		double se = sqrt(want * (1 - want) / 200000);
		ck_assert_msg(fabs(got - want) < 5 * se + 1e-4, "size %zu: P %.5f want %.5f",
		              sizes[i], got, want);
	}
}
END_TEST

START_TEST(rate_one_samples_everything)
{
	struct sampler_thread t = { 0 };
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(sampler_decide_slow(&t, 1, 8), 1);
}
END_TEST

START_TEST(weight_is_inverse_probability)
{
	ck_assert_double_eq_tol(sampler_weight(524288, 524288), 1.0 / (1.0 - exp(-1.0)), 1e-9);
	ck_assert_double_eq(sampler_weight(100, 1), 1.0);
	ck_assert(sampler_weight(1 << 30, 524288) < 1.0000001);
	/* Go's worked example (pprof-format.md §4.2): 58 objects, 60817408 B. */
	double w = sampler_weight(60817408 / 58, 524288);
	ck_assert_int_eq((int64_t)(58 * w), 67);
}
END_TEST

START_TEST(est_bytes_cancel_exactly)
{
	uint64_t est = (uint64_t)(sampler_weight(24, 524288) * EST_ONE + 0.5);
	ck_assert_uint_eq(heap_est_bytes(24, est) - heap_est_bytes(24, est), 0);
	ck_assert_uint_eq(heap_est_bytes(1000, EST_ONE), 1000);
}
END_TEST

START_TEST(bucket_lookup_dedups_by_kind_and_stack)
{
	uintptr_t a[3] = { 0x1000, 0x2000, 0x3000 }, b[3] = { 0x1000, 0x2000, 0x3001 };
	struct bucket *x = bucket_for_stack(BUCKET_HEAP, a, 3);
	ck_assert_ptr_eq(bucket_for_stack(BUCKET_HEAP, a, 3), x);
	ck_assert_ptr_ne(bucket_for_stack(BUCKET_HEAP, b, 3), x);
	ck_assert_ptr_ne(bucket_for_stack(BUCKET_BLOCK, a, 3), x);
	ck_assert_ptr_ne(bucket_for_stack(BUCKET_HEAP, a, 2), x);
	ck_assert_uint_eq(x->nstk, 3);
	ck_assert_uint_eq(x->stk[2], 0x3000);
	struct bucket *empty = bucket_for_stack(BUCKET_HEAP, NULL, 0);
	ck_assert_uint_eq(empty->nstk, 1);
	ck_assert_uint_eq(empty->stk[0], BUCKET_UNKNOWN_PC);
}
END_TEST

static void count_bucket(struct bucket *b, void *arg)
{
	(void)b;
	(*(size_t *)arg)++;
}

START_TEST(cap_sends_new_stacks_to_overflow_bucket)
{
	uintptr_t stk[2] = { 0x5000, 0 };
	arena_set_limit(arena_used() + 64 * 1024);
	struct bucket *last = NULL;
	size_t i;
	for (i = 0; i < 100000; i++) {
		stk[1] = 0x10000 + i;
		last = bucket_for_stack(BUCKET_MUTEX, stk, 2);
		if (last->stk[0] == BUCKET_OVERFLOW_PC)
			break;
	}
	ck_assert_msg(i < 100000, "the cap never sent a stack to the overflow bucket");
	ck_assert_uint_eq(last->nstk, 1);
	size_t n = 0;
	buckets_visit(BUCKET_MUTEX, count_bucket, &n);
	ck_assert_uint_eq(n, i + 1);   /* i real buckets + the overflow bucket */
	/* A stack that already has a bucket still finds it. */
	stk[1] = 0x10000;
	ck_assert_uint_ne(bucket_for_stack(BUCKET_MUTEX, stk, 2)->stk[0], BUCKET_OVERFLOW_PC);
	arena_set_limit(64u << 20);
}
END_TEST

START_TEST(sampled_table_is_exact)
{
	enum { N = 200000 };
	uintptr_t *addrs = malloc(N * sizeof(*addrs));
	struct bucket *b = bucket_for_stack(BUCKET_HEAP, (uintptr_t[]){ 0x7777 }, 1);
	for (size_t i = 0; i < N; i++) {
		/* clustered, 16-byte aligned addresses like an allocator's */
		addrs[i] = 0x7f0000000000ULL + i * 48;
		struct sampled_alloc a = { .addr = addrs[i], .bucket = b, .size = i, .est_count = 1 };
		ck_assert_int_eq(sampled_addr_insert(&a), 0);
	}
	ck_assert_uint_eq(sampled_addr_count(), N);
	for (size_t i = 0; i < N; i++)
		ck_assert(sampled_addr_maybe((void *)addrs[i]));
	/* remove every other one, then the rest, checking each entry's size */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = (size_t)pass; i < N; i += 2) {
			struct sampled_alloc out;
			ck_assert_int_eq(sampled_addr_remove(addrs[i], &out), 1);
			ck_assert_uint_eq(out.size, i);
			ck_assert_int_eq(sampled_addr_remove(addrs[i], &out), 0);
		}
	}
	ck_assert_uint_eq(sampled_addr_count(), 0);
	struct sampled_alloc out;
	ck_assert_int_eq(sampled_addr_remove(0x1234560, &out), 0);
	free(addrs);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, gap_mean_is_rate);
	tcase_add_test(tc, sampling_probability_matches_poisson);
	tcase_add_test(tc, rate_one_samples_everything);
	tcase_add_test(tc, weight_is_inverse_probability);
	tcase_add_test(tc, est_bytes_cancel_exactly);
	tcase_add_test(tc, bucket_lookup_dedups_by_kind_and_stack);
	tcase_add_test(tc, cap_sends_new_stacks_to_overflow_bucket);
	tcase_add_test(tc, sampled_table_is_exact);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
