/*
 * sampler.c — the slow half of the heap sampling decision and the maths of
 * the sampler: exponential gaps and the inverse-probability weights the
 * profile is unbiased with. See sampler.h for the scheme.
 */
#include "sampler.h"

#include <math.h>

#include "core_sys.h"

__thread struct sampler_thread sampler_thread;

/* Go caps the mean so the gap stays within int32; we keep the same cap so
 * our sampling probabilities equal Go's for every size. */
#define MAX_MEAN 0x7000000

int64_t sampler_next_gap(int64_t mean)
{
	if (mean > MAX_MEAN)
		mean = MAX_MEAN;
	if (mean <= 1)
		return mean <= 0 ? INT64_MAX : 0;
	/* q uniform in [1, 2^26]: U = q/2^26 in (0, 1], gap = -mean*ln(U) + 1. */
	double q = (double)((core_sys.random() >> 38) + 1);
	double log2u = log2(q) - 26.0;
	if (log2u > 0)
		log2u = 0;
	return (int64_t)(log2u * -M_LN2 * (double)mean) + 1;
}

int sampler_decide_slow(struct sampler_thread *t, int64_t rate, size_t size)
{
	if (rate == 1) {
		t->next_sample = 0;
		return 1;
	}
	if (!t->started) {
		/* The thread's first allocation: it gets its first gap now and
		 * this allocation is counted against it, as Go does at mcache
		 * creation. */
		t->started = 1;
		t->next_sample = sampler_next_gap(rate);
		if ((int64_t)size < t->next_sample) {
			t->next_sample -= (int64_t)size;
			return 0;
		}
	}
	t->next_sample = sampler_next_gap(rate);
	return 1;
}

int sampler_decide(size_t size)
{
	struct sampler_thread *t = &sampler_thread;
	int64_t rate = atomic_load_explicit(&heap_rate, memory_order_relaxed);
	if (rate == 0 || !profiling_started()) {
		t->next_sample = SAMPLER_OFF_RECHECK;
		return 0;
	}
	if (unlikely(agent_guard)) {
		t->started = 1;
		t->next_sample = sampler_next_gap(rate);
		return 0;
	}
	return sampler_decide_slow(t, rate, size);
}

void sampler_restart_thread(void)
{
	sampler_thread.next_sample = 0;
	sampler_thread.started = 0;
}

double sampler_weight(size_t size, int64_t rate)
{
	if (rate <= 1 || size == 0)
		return 1.0;
	return 1.0 / -expm1(-(double)size / (double)rate);
}
