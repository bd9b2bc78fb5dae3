/*
 * sampler.c — the slow half of the heap sampling decision and the maths of
 * the sampler: exponential gaps and the inverse-probability weights the
 * profile is unbiased with. See sampler.h for the scheme.
 */
#include "sampler.h"

#include <math.h>
#include <time.h>

atomic_llong heap_rate;
__thread struct sampler_thread sampler_thread;

/* Go caps the mean so the gap stays within int32; we keep the same cap so
 * our sampling probabilities equal Go's for every size. */
#define MAX_MEAN 0x7000000

static uint64_t rng_next(struct sampler_thread *t)
{
	/* wyrand: one multiply, passes BigCrush, plenty for sampling. */
	t->rng += 0xa0761d6478bd642fULL;
	__uint128_t m = (__uint128_t)t->rng * (t->rng ^ 0xe7037ed1a0b428dbULL);
	return (uint64_t)(m >> 64) ^ (uint64_t)m;
}

static void rng_seed(struct sampler_thread *t)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t->rng = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)t ^
	         ((uint64_t)ts.tv_sec << 32);
	if (t->rng == 0)
		t->rng = 1;
}

uint64_t agent_random(void)
{
	struct sampler_thread *t = &sampler_thread;
	if (t->rng == 0)
		rng_seed(t);
	return rng_next(t);
}

int64_t sampler_next_gap(struct sampler_thread *t, int64_t mean)
{
	if (t->rng == 0)
		rng_seed(t);
	if (mean > MAX_MEAN)
		mean = MAX_MEAN;
	if (mean <= 1)
		return mean <= 0 ? INT64_MAX : 0;
	/* q uniform in [1, 2^26]: U = q/2^26 in (0, 1], gap = -mean*ln(U) + 1. */
	double q = (double)((rng_next(t) >> 38) + 1);
	double log2u = log2(q) - 26.0;
	if (log2u > 0)
		log2u = 0;
	return (int64_t)(log2u * -M_LN2 * (double)mean) + 1;
}

int sampler_decide_slow(struct sampler_thread *t, int64_t rate, size_t size)
{
	if (rate == 1)
		return 1;
	if (t->rng == 0) {
		/* The thread's first allocation: it gets its first gap now and
		 * this allocation is counted against it, as Go does at mcache
		 * creation. */
		t->next_sample = sampler_next_gap(t, rate);
		if ((int64_t)size < t->next_sample) {
			t->next_sample -= (int64_t)size;
			return 0;
		}
	}
	t->next_sample = sampler_next_gap(t, rate);
	return 1;
}

double sampler_weight(size_t size, int64_t rate)
{
	if (rate <= 1 || size == 0)
		return 1.0;
	return 1.0 / -expm1(-(double)size / (double)rate);
}
