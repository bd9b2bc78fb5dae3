/*
 * spinlock.c — the fork flag of spinlock.h, the lock that gives way to a
 * fork, and the run-time check of the lock order (built only with
 * --enable-debug-checks: each thread counts the locks it holds per rank;
 * taking a lock is wrong when any lock of a higher rank is held, or one of
 * the same rank outside a lock-all; a broken order is a latent deadlock, so
 * it ends the process at once, with one line naming both ranks).
 */
#include "spinlock.h"

atomic_int fork_in_progress;

int spin_lock_unless_forking(spinlock *l)
{
	lock_rank_acquire((enum lock_rank)l->rank, 0);
	unsigned spins = 0;
	while (atomic_flag_test_and_set_explicit(&l->flag, memory_order_acquire)) {
		if (atomic_load_explicit(&fork_in_progress, memory_order_acquire)) {
			lock_rank_release((enum lock_rank)l->rank);
			return 0;
		}
		if (++spins > 64)
			sched_yield();
	}
	return 1;
}

#ifdef PPROF_AGENT_DEBUG_CHECKS
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static __thread unsigned short held[RANK_COUNT];

static void rank_violation(enum lock_rank taking, enum lock_rank holding)
{
	char line[128];
	int n = snprintf(line, sizeof line,
	                 "pprof-agent: lock order broken: taking rank %d while holding rank %d\n",
	                 (int)taking, (int)holding);
	if (n > 0 && write(STDERR_FILENO, line, (size_t)n) < 0)
		abort();
	abort();
}

void lock_rank_acquire(enum lock_rank rank, int same_rank_ok)
{
	for (int r = rank + 1; r < RANK_COUNT; r++)
		if (held[r])
			rank_violation(rank, (enum lock_rank)r);
	if (held[rank] && !same_rank_ok)
		rank_violation(rank, rank);
	held[rank]++;
}

void lock_rank_release(enum lock_rank rank)
{
	if (held[rank])
		held[rank]--;
}
#endif
