/*
 * unload_fence.c — offline stack walks and dlclose exclude each other (see
 * unload_fence.h).
 */
#include "unload_fence.h"

#include <sched.h>
#include <stdatomic.h>

static atomic_int walking;     /* walks in progress */
static atomic_int unloading;   /* dlcloses on their way */

void unload_fence_walk_begin(void)
{
	for (;;) {
		while (atomic_load(&unloading) > 0)
			sched_yield();
		atomic_fetch_add(&walking, 1);
		if (atomic_load(&unloading) == 0)
			return;
		atomic_fetch_sub(&walking, 1);
	}
}

void unload_fence_walk_end(void)
{
	atomic_fetch_sub(&walking, 1);
}

void unload_fence_unload_begin(void)
{
	atomic_fetch_add(&unloading, 1);
	while (atomic_load(&walking) > 0)
		sched_yield();
}

void unload_fence_unload_end(void)
{
	atomic_fetch_sub(&unloading, 1);
}

void unload_fence_after_fork_child(void)
{
	atomic_store(&walking, 0);
	atomic_store(&unloading, 0);
}
