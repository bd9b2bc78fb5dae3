/*
 * lock_rank.c — the run-time check of the lock order of spinlock.h, built
 * only with --enable-debug-checks. Each thread counts the locks it holds per
 * rank; taking a lock is wrong when any lock of a higher rank is held, or one
 * of the same rank outside a lock-all. A broken order is a latent deadlock,
 * so it ends the process at once, with one line naming both ranks.
 */
#include "spinlock.h"

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
