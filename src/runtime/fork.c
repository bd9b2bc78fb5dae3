/*
 * fork.c — keeping the agent whole across fork(), whatever other atfork
 * handlers the allocator and the program have registered, in any order.
 *
 * A thread that holds a lock at the moment another thread forks does not
 * exist in the child, so the child must not need that lock held. And while
 * the prepare handler holds agent locks, the other prepare handlers run:
 * an allocator's may wait for its own mutex, held by a thread that is
 * itself waiting for one of our locks (jemalloc's prefork against a thread
 * recording a contention event). So (spinlock.h):
 *   - prepare sets fork_in_progress, then takes, in rank order, the locks
 *     whose data the child needs whole (buckets, arena, sampled addresses);
 *     any thread that finds one of them taken from then on gives up at once
 *     instead of waiting (its event is dropped or its free queued), so
 *     nobody ever waits on a lock the forking thread holds;
 *   - the snapshot lock and the lock-waiter table are not taken: the child
 *     starts both afresh, since every thread that could hold them is gone;
 *   - parent and child release what prepare took and clear the flag; the
 *     child names its files after its own pid and, having one thread, has
 *     no agent thread until it creates a thread of its own.
 * The forking thread keeps the reentrancy guard raised throughout, so its
 * own allocations in other handlers and in glibc's fork pass through.
 *
 * The table below is the one place that knows every lock: a module that
 * adds a lock adds its row here, at its rank.
 */
#include "fork.h"

#include <pthread.h>

#include "arena.h"
#include "buckets.h"
#include "http_server.h"
#include "lock_waiters.h"
#include "rates.h"
#include "runtime.h"
#include "sampled_addrs.h"
#include "schedule.h"
#include "snapshot.h"
#include "spinlock.h"

/* A lock across fork: held by prepare (lock_all, unlock_all), or started
 * afresh in the child (child_reset). */
struct agent_lock {
	enum lock_rank rank;
	void (*lock_all)(void);
	void (*unlock_all)(void);
	void (*child_reset)(void);
};

static const struct agent_lock agent_locks[] = {
	{ RANK_SNAPSHOT, NULL, NULL, snapshot_after_fork_child },
	{ RANK_BUCKETS, buckets_lock_all, buckets_unlock_all, NULL },
	{ RANK_ARENA, arena_lock_all, arena_unlock_all, NULL },
	{ RANK_LOCK_WAITERS, NULL, NULL, lock_waiters_after_fork_child },
	{ RANK_SAMPLED_ADDRS, sampled_addrs_lock_all, sampled_addrs_unlock_all, NULL },
};

#define NLOCKS (sizeof agent_locks / sizeof agent_locks[0])

_Static_assert(NLOCKS == RANK_COUNT - 1, "every rank of spinlock.h has its row here");

static void unlock_held(void)
{
	for (size_t i = NLOCKS; i-- > 0;)
		if (agent_locks[i].unlock_all)
			agent_locks[i].unlock_all();
	atomic_store(&fork_in_progress, 0);
}

static void fork_prepare(void)
{
	agent_enter();
	atomic_store(&fork_in_progress, 1);
	for (size_t i = 0; i < NLOCKS; i++)
		if (agent_locks[i].lock_all)
			agent_locks[i].lock_all();
}

static void fork_parent(void)
{
	unlock_held();
	agent_leave();
}

static void fork_child(void)
{
	unlock_held();
	for (size_t i = 0; i < NLOCKS; i++)
		if (agent_locks[i].child_reset)
			agent_locks[i].child_reset();
	char err[1024];
	if (agent_writes_files && profiling_started() && !snapshot_finished() &&
	    snapshot_files_init(err, sizeof err) != 0)
		agent_debug("%s", err);
	schedule_after_fork_child();
	http_server_after_fork_child();
	agent_leave();
}

void fork_protocol_install(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}
