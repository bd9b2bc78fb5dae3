/*
 * fork.c — keeping the agent whole across fork(). The prepare handler
 * takes every agent lock, in the rank order of spinlock.h, so that no lock
 * is held at the moment of the fork by a thread that will not exist in the
 * child; the parent handler releases them; the child handler releases them,
 * names its files after its own pid and restarts the agent thread (the only
 * thread the child has is the one that forked).
 *
 * The list below is the one place that knows every lock; a module that
 * adds a lock adds its row here, at its rank.
 */
#include "fork.h"

#include <pthread.h>

#include "arena.h"
#include "buckets.h"
#include "lock_waiters.h"
#include "rates.h"
#include "runtime.h"
#include "sampled_addrs.h"
#include "schedule.h"
#include "snapshot.h"
#include "spinlock.h"

struct agent_lock {
	enum lock_rank rank;
	void (*lock_all)(void);
	void (*unlock_all)(void);
};

static const struct agent_lock agent_locks[] = {
	{ RANK_SNAPSHOT, snapshot_lock_all, snapshot_unlock_all },
	{ RANK_BUCKETS, buckets_lock_all, buckets_unlock_all },
	{ RANK_ARENA, arena_lock_all, arena_unlock_all },
	{ RANK_LOCK_WAITERS, lock_waiters_lock_all, lock_waiters_unlock_all },
	{ RANK_SAMPLED_ADDRS, sampled_addrs_lock_all, sampled_addrs_unlock_all },
};

#define NLOCKS (sizeof agent_locks / sizeof agent_locks[0])

_Static_assert(NLOCKS == RANK_COUNT - 1, "every rank of spinlock.h has its row here");

static void unlock_everything(void)
{
	for (size_t i = NLOCKS; i-- > 0;)
		agent_locks[i].unlock_all();
}

static void fork_prepare(void)
{
	agent_enter();
	for (size_t i = 0; i < NLOCKS; i++)
		agent_locks[i].lock_all();
}

static void fork_parent(void)
{
	unlock_everything();
	agent_leave();
}

static void fork_child(void)
{
	unlock_everything();
	if (agent_writes_files && profiling_started() && !snapshot_finished())
		snapshot_files_init();
	schedule_after_fork_child();
	agent_leave();
}

void fork_protocol_install(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}
