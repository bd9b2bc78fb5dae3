/*
 * lock_waiters.h — which waiting time is charged to which unlock, for the
 * mutex profile (Go's mutexevent, adapted to pthreads).
 *
 * Every waiter that finds a mutex or rwlock held registers its arrival time
 * in a side table keyed by the lock's address. An unlock of a lock that has
 * registered waiters charges, to the unlocker's stack, the time each of them
 * has waited since it arrived or since the previous charging unlock,
 * whichever is later; their clocks then restart at this unlock, so no
 * interval is charged twice. A waiter stops its clock when it gets the
 * lock. So one holder keeping a lock for 200 ms while one thread waits is
 * charged 200 ms; two waiters through the same 200 ms make 400 ms, as the
 * block profile would. (Go charges only the waiter it wakes and restarts the
 * others; with pthreads we cannot see which waiter the kernel wakes.)
 *
 * Per lock the table keeps only three numbers — how many wait, the sum of
 * their clock starts, and when the last charging unlock was — so an unlock
 * charges n waiters in O(1): delay = n * now - sum_of_starts.
 * docs/mutex-charging.md works through examples.
 *
 * The table has LOCK_WAITER_SLOTS entries, open addressing over the lock
 * address with a short probe; each entry has its own spin lock (rank
 * RANK_LOCK_WAITERS). A lock whose waiters find no free entry within the
 * probe is not charged in the mutex profile (its waits still reach the
 * block profile); such waits are counted (lock_waiters_untracked) and the
 * mutex profile says how many there were.
 */
#ifndef PPROF_AGENT_LOCK_WAITERS_H
#define PPROF_AGENT_LOCK_WAITERS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define LOCK_WAITER_SLOTS 1024

/* Locks with registered waiters right now; 0 keeps unlock to one load. */
extern atomic_int contended_locks;

/* A waiter found lock held at t0 and starts waiting: returns a token to
 * pass to lock_wait_end (0 when the mutex profile is off, the guard is
 * raised or the table has no room). */
uintptr_t lock_wait_begin(const void *lock, int64_t t0);
void lock_wait_end(uintptr_t token, int64_t t0);

/* Called by an unlock hook before the real unlock when contended_locks is
 * nonzero: returns the delay to charge to this unlock (0 for none), read
 * from core_sys.nanotime. */
int64_t lock_unlock_delay(const void *lock);

/* The table slot where the probe for lock starts. */
size_t lock_waiter_home(const void *lock);

/* Waits that found no room in the table since the process started. */
uint64_t lock_waiters_untracked(void);

/* In a forked child: every waiter belonged to a thread of the parent that
 * does not exist here, so the table starts empty (its locks too, whoever
 * held them at the fork). */
void lock_waiters_after_fork_child(void);

#endif
