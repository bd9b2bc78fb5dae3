/*
 * spinlock.h — the agent's locks and the one ranked list of them.
 *
 * Agent locks are spin locks on purpose: a pthread mutex would go through
 * the agent's own pthread hooks, and the code they guard runs inside the
 * host's malloc and lock calls. Each is held for a few hundred instructions
 * at most, never across an unwind, a call into the allocator or anything
 * else that may wait.
 *
 * Every agent lock has a rank, and a thread that holds locks may only take
 * one of a higher rank. This is the whole list, lowest rank first; fork's
 * prepare handler takes them in this order (src/runtime/fork.c), and
 * docs/locks.md says why each exists and what it guards:
 *
 *   RANK_SNAPSHOT       runtime: one snapshot at a time (a pthread mutex,
 *                       taken only by the agent's own threads and API calls)
 *   RANK_BUCKETS        core/buckets.c: inserting a stack bucket
 *   RANK_ARENA          core/arena.c: the bump pointer (taken inside BUCKETS)
 *   RANK_LOCK_WAITERS   core/lock_waiters.c: one entry of the waiter table
 *                       (1024 locks of this rank)
 *   RANK_SAMPLED_ADDRS  core/sampled_addrs.c: one shard of the table of live
 *                       sampled allocations (64 locks of this rank)
 *
 * Locks of one rank are only ever held together by the lock-all functions
 * that fork uses, which take them in index order (spin_lock_next_of_rank).
 *
 * Fork. The prepare handler (src/runtime/fork.c) sets fork_in_progress and
 * then takes the locks the child needs whole: buckets, arena, sampled
 * addresses. While it holds them, other prepare handlers run (the
 * allocator's, the program's), and a thread that waits for one of our locks
 * may hold a lock one of those handlers wants. So a thread that finds an
 * agent lock taken while a fork is in progress never waits: it gives up
 * (spin_lock_unless_forking), and its caller drops or defers the event.
 * Holders finish without waiting for anything, so the forking thread always
 * gets its locks. The snapshot and lock-waiter locks are not taken at all:
 * the child starts them afresh (no other thread of the parent exists there).
 *
 * Builds configured with --enable-debug-checks (make distcheck uses it)
 * check the order at run time: taking a lock while holding one of an equal
 * or higher rank prints one line and aborts. Other builds check nothing and
 * pay nothing.
 */
#ifndef PPROF_AGENT_SPINLOCK_H
#define PPROF_AGENT_SPINLOCK_H

#include <sched.h>
#include <stdatomic.h>

enum lock_rank {
	RANK_NONE,
	RANK_SNAPSHOT,
	RANK_BUCKETS,
	RANK_ARENA,
	RANK_LOCK_WAITERS,
	RANK_SAMPLED_ADDRS,
	RANK_COUNT
};

#ifdef PPROF_AGENT_DEBUG_CHECKS
/* Notes that the calling thread takes (releases) a lock of rank; aborts
 * with one line on stderr when the order is broken. same_rank_ok lets the
 * lock-all functions hold several locks of one rank. */
void lock_rank_acquire(enum lock_rank rank, int same_rank_ok);
void lock_rank_release(enum lock_rank rank);
#else
static inline void lock_rank_acquire(enum lock_rank rank, int same_rank_ok)
{
	(void)rank;
	(void)same_rank_ok;
}

static inline void lock_rank_release(enum lock_rank rank)
{
	(void)rank;
}
#endif

typedef struct {
	atomic_flag flag;
	unsigned char rank;   /* enum lock_rank */
} spinlock;

#define SPINLOCK_INIT(rank) { ATOMIC_FLAG_INIT, (rank) }

static inline void spin_acquire(spinlock *l)
{
	unsigned spins = 0;
	while (atomic_flag_test_and_set_explicit(&l->flag, memory_order_acquire)) {
		if (++spins > 64)
			sched_yield();
	}
}

static inline void spin_lock(spinlock *l)
{
	lock_rank_acquire((enum lock_rank)l->rank, 0);
	spin_acquire(l);
}

/* For the lock-all functions: l may share its rank with locks the caller
 * already holds, taken in index order. */
static inline void spin_lock_next_of_rank(spinlock *l)
{
	lock_rank_acquire((enum lock_rank)l->rank, 1);
	spin_acquire(l);
}

/* Set by fork's prepare handler until the parent or child handler. */
extern atomic_int fork_in_progress;

/* Takes l and returns 1; or, when l is taken while a fork is in progress,
 * returns 0 at once without it. */
int spin_lock_unless_forking(spinlock *l);

static inline void spin_unlock(spinlock *l)
{
	atomic_flag_clear_explicit(&l->flag, memory_order_release);
	lock_rank_release((enum lock_rank)l->rank);
}

#endif
