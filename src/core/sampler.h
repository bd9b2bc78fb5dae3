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
 * Cost budget of the unsampled path (sampler_should_sample inlined into every
 * allocation hook): one relaxed load of the global rate, one TLS load, a
 * compare and a subtract. No lock, no syscall, no allocation.
 */
#ifndef PPROF_AGENT_SAMPLER_H
#define PPROF_AGENT_SAMPLER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "rates.h"

struct sampler_thread {
	int64_t next_sample;   /* bytes left before the next sample */
	int started;           /* the thread has had its first draw */
};

extern __thread struct sampler_thread sampler_thread;

/* Draws the next gap: exponential with mean `mean`, at least 1 (Go's
 * fastexprand with a 2^26-step uniform), from core_sys.random. */
int64_t sampler_next_gap(int64_t mean);

/* The slow half of the decision: first draw of a thread, rate 1, or a
 * countdown that ran out. Returns 1 when this allocation is sampled. */
int sampler_decide_slow(struct sampler_thread *t, int64_t rate, size_t size);

/* Horvitz–Thompson weight of a sampled allocation of size bytes:
 * 1 / P(sampled) = 1 / (1 - exp(-size/rate)), or 1 when rate <= 1. */
double sampler_weight(size_t size, int64_t rate);

static inline int sampler_should_sample(size_t size)
{
	int64_t rate = atomic_load_explicit(&heap_rate, memory_order_relaxed);
	struct sampler_thread *t = &sampler_thread;
	if (rate == 0)
		return 0;
	if (likely((int64_t)size < t->next_sample)) {
		t->next_sample -= (int64_t)size;
		return 0;
	}
	return sampler_decide_slow(t, rate, size);
}

#endif
