/*
 * lock_waiters.c — the lock-waiter side table and the charging rule (see
 * lock_waiters.h).
 */
#include "lock_waiters.h"

#include "core.h"
#include "core_sys.h"
#include "rates.h"
#include "spinlock.h"

#define PROBE 8

atomic_int contended_locks;
static atomic_ullong untracked_waits;

struct wait_entry {
	spinlock lock;
	const void *_Atomic addr;   /* the lock waited on; NULL = free */
	int64_t waiters;
	int64_t sum_start;          /* sum of each waiter's current clock start */
	int64_t reset_at;           /* when the last charging unlock restarted them */
} __attribute__((aligned(64)));

static struct wait_entry wait_table[LOCK_WAITER_SLOTS] = {
	[0 ... LOCK_WAITER_SLOTS - 1] = { .lock = SPINLOCK_INIT(RANK_LOCK_WAITERS) },
};

size_t lock_waiter_home(const void *lock)
{
	uint64_t h = (uint64_t)(uintptr_t)lock * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 54) % LOCK_WAITER_SLOTS;
}

/* Finds the entry of lock, or claims a free one when claim is set; returns
 * it locked, or NULL. */
static struct wait_entry *entry_for(const void *lock, int claim)
{
	size_t home = lock_waiter_home(lock);
	for (size_t i = 0; i < PROBE; i++) {
		struct wait_entry *e = &wait_table[(home + i) % LOCK_WAITER_SLOTS];
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

uintptr_t lock_wait_begin(const void *lock, int64_t t0)
{
	if (atomic_load_explicit(&mutex_fraction, memory_order_relaxed) <= 0 || agent_guard)
		return 0;
	struct wait_entry *e = entry_for(lock, 1);
	if (!e) {
		atomic_fetch_add_explicit(&untracked_waits, 1, memory_order_relaxed);
		return 0;
	}
	e->waiters++;
	e->sum_start += t0;
	spin_unlock(&e->lock);
	return (uintptr_t)lock;
}

void lock_wait_end(uintptr_t token, int64_t t0)
{
	if (!token)
		return;
	struct wait_entry *e = entry_for((const void *)token, 0);
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

int64_t lock_unlock_delay(const void *lock)
{
	int64_t delay = 0;
	if (agent_guard)
		return 0;
	struct wait_entry *e = entry_for(lock, 0);
	if (!e)
		return 0;
	if (e->waiters > 0) {
		int64_t now = core_sys.nanotime();
		delay = e->waiters * now - e->sum_start;
		e->sum_start = e->waiters * now;
		e->reset_at = now;
	}
	spin_unlock(&e->lock);
	return delay;
}

uint64_t lock_waiters_untracked(void)
{
	return atomic_load_explicit(&untracked_waits, memory_order_relaxed);
}

void lock_waiters_after_fork_child(void)
{
	for (size_t i = 0; i < LOCK_WAITER_SLOTS; i++) {
		struct wait_entry *e = &wait_table[i];
		atomic_flag_clear(&e->lock.flag);
		atomic_store_explicit(&e->addr, NULL, memory_order_relaxed);
		e->waiters = e->sum_start = e->reset_at = 0;
	}
	atomic_store(&contended_locks, 0);
}
