/*
 * contention.h — Go's blockevent/saveblockevent and mutexevent for pthreads:
 * the block profile (time a thread spent blocked, charged to the waiter's
 * stack) and the mutex profile (time waiters spent blocked on a lock,
 * charged to the stack that released it). The hooks in lock_hooks.c and
 * thread_hooks.c call these only on the contended or blocking path.
 *
 * Which waiting time is charged to which unlock (mutex profile): every
 * waiter that finds a mutex or rwlock held registers its arrival time in a
 * side table keyed by the lock's address. An unlock of a lock that has
 * registered waiters charges, to the unlocker's stack, the time each of them
 * has waited since it arrived or since the previous charging unlock,
 * whichever is later; their clocks then restart at this unlock, so no
 * interval is charged twice. A waiter stops its clock when it gets the
 * lock. So one holder keeping a lock for 200 ms while one thread waits is
 * charged 200 ms; two waiters through the same 200 ms make 400 ms, as the
 * block profile would. (Go charges only the waiter it wakes and restarts the
 * others; with pthreads we cannot see which waiter the kernel wakes.)
 * Sampling: 1 in mutex_fraction charging unlocks is recorded, with count
 * and delay multiplied by the fraction at record time (newer Go).
 */
#ifndef PPROF_AGENT_CONTENTION_H
#define PPROF_AGENT_CONTENTION_H

#include <stdatomic.h>
#include <stdint.h>

extern atomic_llong block_rate_ns;    /* SetBlockProfileRate, ns */
extern atomic_llong mutex_fraction;   /* SetMutexProfileFraction */
/* Locks with registered waiters right now; 0 keeps unlock to one load. */
extern atomic_int contended_locks;

static inline int contention_profiling(void)
{
	return atomic_load_explicit(&block_rate_ns, memory_order_relaxed) > 0 ||
	       atomic_load_explicit(&mutex_fraction, memory_order_relaxed) > 0;
}

static inline int block_profiling(void)
{
	return atomic_load_explicit(&block_rate_ns, memory_order_relaxed) > 0;
}

int64_t contention_now(void);

/* A thread blocked for ns nanoseconds (from t0 to now): sampled as Go's
 * blocksampled and recorded at the caller's stack. */
void block_event(int64_t ns);

/* A waiter found lock held at t0 and starts waiting: returns a token to
 * pass to mutex_wait_end (0 when the mutex profile is off or the side table
 * is full). */
uintptr_t mutex_wait_begin(const void *lock, int64_t t0);
void mutex_wait_end(uintptr_t token, int64_t t0);

/* Called by an unlock hook before the real unlock when contended_locks is
 * nonzero: returns the delay to charge (0 for none). */
int64_t mutex_unlock_delay(const void *lock);
/* After the real unlock: samples and records the charged delay at the
 * unlocker's stack. */
void mutex_event(int64_t delay_ns);

#endif
