/*
 * contention.c — block and mutex events and the lock-waiter side table
 * (see contention.h for what is charged to whom).
 *
 * The side table: WAIT_SLOTS entries, open addressing over the lock
 * address with a short probe; each entry has its own spin lock. A lock
 * whose waiters find no free entry within the probe is not charged in the
 * mutex profile (its waits still reach the block profile); the count of such
 * waits is kept in mutex_untracked_waits.
 */
#include "contention.h"

#include <time.h>

#include "agent.h"
#include "buckets.h"
#include "sampler.h"
#include "stack.h"

atomic_llong block_rate_ns;
atomic_llong mutex_fraction;
atomic_int contended_locks;
atomic_ullong mutex_untracked_waits;

#define WAIT_SLOTS 1024
#define WAIT_PROBE 8

struct wait_entry {
	spinlock lock;
	const void *_Atomic addr;   /* the lock waited on; NULL = free */
	int64_t waiters;
	int64_t sum_start;          /* sum of each waiter's current clock start */
	int64_t reset_at;           /* when the last charging unlock restarted them */
} __attribute__((aligned(64)));

static struct wait_entry wait_table[WAIT_SLOTS];

int64_t contention_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void record(enum bucket_kind kind, uint64_t count_fx, uint64_t ns)
{
	uintptr_t stk[STACK_MAX];
	agent_enter();
	size_t n = stack_capture(stk, (size_t)agent_opts.depth);
	struct bucket *b = bucket_for_stack(kind, stk, n);
	atomic_fetch_add_explicit(&b->rec.block.count, count_fx, memory_order_relaxed);
	atomic_fetch_add_explicit(&b->rec.block.cycles, ns, memory_order_relaxed);
	agent_leave();
}

void block_event(int64_t ns)
{
	int64_t rate = atomic_load_explicit(&block_rate_ns, memory_order_relaxed);
	if (rate <= 0 || agent_guard)
		return;
	if (ns <= 0)
		ns = 1;
	/* Go's blocksampled: events shorter than the rate are kept with
	 * probability ~ns/rate and then weighted by rate/ns. */
	if (rate > ns && (int64_t)(agent_random() % (uint64_t)rate) > ns)
		return;
	if (ns < rate)
		record(BUCKET_BLOCK, (uint64_t)((double)rate / (double)ns * (double)EST_ONE),
		       (uint64_t)rate);
	else
		record(BUCKET_BLOCK, EST_ONE, (uint64_t)ns);
}

static size_t wait_slot(const void *lock)
{
	uint64_t h = (uint64_t)(uintptr_t)lock * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 54) % WAIT_SLOTS;
}

/* Finds the entry of lock, or claims a free one when claim is set; returns
 * it locked, or NULL. */
static struct wait_entry *wait_entry_for(const void *lock, int claim)
{
	size_t home = wait_slot(lock);
	for (size_t i = 0; i < WAIT_PROBE; i++) {
		struct wait_entry *e = &wait_table[(home + i) % WAIT_SLOTS];
		const void *a = atomic_load_explicit(&e->addr, memory_order_relaxed);
		if (a != lock && !(claim && a == NULL))
			continue;
		spin_lock(&e->lock);
		a = atomic_load_explicit(&e->addr, memory_order_relaxed);
		if (a == lock)
			return e;
		if (claim && a == NULL) {
			atomic_store_explicit(&e->addr, lock, memory_order_relaxed);
			e->waiters = 0;
			e->sum_start = 0;
			e->reset_at = 0;
			atomic_fetch_add(&contended_locks, 1);
			return e;
		}
		spin_unlock(&e->lock);
	}
	return NULL;
}

uintptr_t mutex_wait_begin(const void *lock, int64_t t0)
{
	if (atomic_load_explicit(&mutex_fraction, memory_order_relaxed) <= 0 || agent_guard)
		return 0;
	struct wait_entry *e = wait_entry_for(lock, 1);
	if (!e) {
		atomic_fetch_add_explicit(&mutex_untracked_waits, 1, memory_order_relaxed);
		return 0;
	}
	e->waiters++;
	e->sum_start += t0;
	spin_unlock(&e->lock);
	return (uintptr_t)lock;
}

void mutex_wait_end(uintptr_t token, int64_t t0)
{
	if (!token)
		return;
	struct wait_entry *e = wait_entry_for((const void *)token, 0);
	if (!e)
		return;
	e->waiters--;
	e->sum_start -= t0 > e->reset_at ? t0 : e->reset_at;
	if (e->waiters <= 0) {
		atomic_store_explicit(&e->addr, NULL, memory_order_relaxed);
		atomic_fetch_sub(&contended_locks, 1);
	}
	spin_unlock(&e->lock);
}

int64_t mutex_unlock_delay(const void *lock)
{
	int64_t delay = 0;
	if (agent_guard)
		return 0;
	struct wait_entry *e = wait_entry_for(lock, 0);
	if (!e)
		return 0;
	if (e->waiters > 0) {
		int64_t now = contention_now();
		delay = e->waiters * now - e->sum_start;
		e->sum_start = e->waiters * now;
		e->reset_at = now;
	}
	spin_unlock(&e->lock);
	return delay;
}

void mutex_event(int64_t delay_ns)
{
	int64_t fraction = atomic_load_explicit(&mutex_fraction, memory_order_relaxed);
	if (fraction <= 0 || delay_ns <= 0)
		return;
	if (fraction > 1 && agent_random() % (uint64_t)fraction != 0)
		return;
	record(BUCKET_MUTEX, (uint64_t)fraction * EST_ONE, (uint64_t)(fraction * delay_ns));
}
