/*
 * sampler.h — Go's heap sampling decision (mprof.go / malloc.go
 * nextSample), per thread. Each thread counts down the bytes left until its
 * next sample; the gaps are drawn from an exponential distribution of mean
 * mem_rate, so every allocated byte has the same chance 1/mem_rate of being
 * the one that triggers a sample (a Poisson process over the byte stream).
 * An allocation is sampled when its size reaches the countdown; the leftover
 * is then thrown away and a fresh gap drawn, which is unbiased because the
 * exponential distribution is memoryless.
 *
 * The countdown is also the hooks' whole fast path: an allocation smaller
 * than what is left subtracts its size and goes straight to the allocator
 * (sampler_count: one TLS load, a compare, a store). Everything else the
 * decision depends on is folded into the countdown, so the fast path never
 * reads it: a thread starts at 0 (its first allocation decides); while
 * profiling is off, not yet started, or the rate is 0, sampler_decide sets
 * SAMPLER_OFF_RECHECK, so a thread looks at the switches again after that
 * many bytes; at rate 1 it stays 0, so every allocation decides; an
 * allocation made under the agent's guard is never sampled and gets a
 * fresh gap (unbiased, the distribution being memoryless). A setter that
 * changes the rate restarts the calling thread (sampler_restart_thread);
 * other threads see the new rate at their next decision, as Go's per-P
 * caches do.
 */
#ifndef PPROF_AGENT_SAMPLER_H
#define PPROF_AGENT_SAMPLER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "rates.h"

struct sampler_thread {
	int64_t next_sample;   /* bytes left before the next decision */
	int started;           /* the thread has had its first draw */
};

extern __thread struct sampler_thread sampler_thread;

/* Bytes between two looks at the switches while heap profiling is off. */
#define SAMPLER_OFF_RECHECK (512 * 1024)

/* Draws the next gap: exponential with mean `mean`, at least 1 (Go's
 * fastexprand with a 2^26-step uniform), from core_sys.random. */
int64_t sampler_next_gap(int64_t mean);

/* The maths of the decision at a positive rate: first draw of a thread,
 * rate 1, or a countdown that ran out. Returns 1 when this allocation is
 * sampled. */
int sampler_decide_slow(struct sampler_thread *t, int64_t rate, size_t size);

/* The slow half of the hooks' decision, when sampler_count said no: reads
 * the switches, the guard and the rate (see above). 1: sample it. */
int sampler_decide(size_t size);

/* The calling thread decides afresh at its next allocation. */
void sampler_restart_thread(void);

/* Horvitz–Thompson weight of a sampled allocation of size bytes:
 * 1 / P(sampled) = 1 / (1 - exp(-size/rate)), or 1 when rate <= 1. */
double sampler_weight(size_t size, int64_t rate);

/* The fast path: 1 when size fits in what is left (and is counted), 0 when
 * the caller must ask sampler_decide. */
static inline int sampler_count(size_t size)
{
	struct sampler_thread *t = &sampler_thread;
	if (likely((int64_t)size < t->next_sample)) {
		t->next_sample -= (int64_t)size;
		return 1;
	}
	return 0;
}

/* Both halves, for the hooks that have no fast path of their own. */
static inline int sampler_should_sample(size_t size)
{
	return !sampler_count(size) && sampler_decide(size);
}

#endif
