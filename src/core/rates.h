/*
 * rates.h — every sampling rate and profiling switch of the agent, each
 * beside its setter. Nothing else stores them: the runtime calls the
 * setters once with the options at start, the C API calls them whenever the
 * program likes (Go's SetMemProfileRate, SetBlockProfileRate,
 * SetMutexProfileFraction), and the hooks and the core read them with
 * relaxed loads, so a change applies to events that start after it.
 *
 * A kind is written to files when its rate has been positive at any time
 * (rates_ever_on): buckets filled while it was on stay worth reading after
 * the program turns it off.
 */
#ifndef PPROF_AGENT_RATES_H
#define PPROF_AGENT_RATES_H

#include <stdatomic.h>
#include <stdint.h>

/* MemProfileRate: average bytes between heap samples; 1 = every
 * allocation; 0 = off. */
extern atomic_llong heap_rate;
/* SetBlockProfileRate, in ns: about one event sampled per this much time
 * blocked; 1 = every event; 0 = off. */
extern atomic_llong block_rate_ns;
/* SetMutexProfileFraction: 1 in N contention events; 0 = off. */
extern atomic_llong mutex_fraction;
/* Deepest stack recorded, 1..STACK_MAX. */
extern atomic_int stack_depth;
/* Whether stacks are walked by frame pointers (1) or unwind tables (0). */
extern atomic_int unwind_by_frame_pointers;
/* On-CPU samples per CPU-second of each thread; 0 = off (cpu_profiler.c
 * follows it at the agent thread's next tick). */
extern atomic_llong cpu_hz;
/* Whether thread creations are recorded (the threadcreate kind). */
extern atomic_int threadcreate_on;
/* Whether every thread's stack is written at each snapshot (the threads
 * kind; nothing is recorded between snapshots). */
extern atomic_int threads_on;
/* Set once the runtime has started the agent; until then (and when the
 * options were bad) the hooks record nothing. */
extern atomic_int profiling_on;
/* Nonzero while the block or the mutex profile is on: the one word a lock
 * hook reads on its fast path. Kept by the two setters. */
extern atomic_int contention_on;

enum rate_bit { EVER_HEAP = 1, EVER_BLOCK = 2, EVER_MUTEX = 4, EVER_CPU = 8 };

void rates_set_heap(int64_t rate);
void rates_set_block(int64_t rate_ns);
/* Returns the previous fraction; a negative fraction only reads it. */
int64_t rates_set_mutex_fraction(int64_t fraction);
void rates_set_depth(int depth);
void rates_set_threadcreate(int on);
void rates_set_cpu_hz(int64_t hz);
void rates_set_threads(int on);
void rates_set_unwind_by_frame_pointers(int on);
void rates_start_profiling(void);

/* Whether the rate of bit (enum rate_bit) has ever been positive. */
int rates_ever_on(enum rate_bit bit);

static inline int contention_profiling(void)
{
	return atomic_load_explicit(&contention_on, memory_order_relaxed) != 0;
}

static inline int block_profiling(void)
{
	return atomic_load_explicit(&block_rate_ns, memory_order_relaxed) > 0;
}

static inline int profiling_started(void)
{
	return atomic_load_explicit(&profiling_on, memory_order_relaxed);
}

#endif
