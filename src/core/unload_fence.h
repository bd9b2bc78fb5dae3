/*
 * unload_fence.h — keeps a library from being unloaded while the agent
 * unwinds a stack that is not the calling thread's own.
 *
 * A thread's own stack can only hold code that is loaded. A copied stack
 * (a cpu sample drained later, another thread's stack) can name a library
 * that another thread is unloading at that very moment, and the unwinder
 * reads that library's unwind tables in place: an unmapped page under it
 * would crash the host. So the offline walk of one stack and the host's
 * dlclose exclude each other: dlclose (the agent's hook, before the real
 * one) waits for the walk in progress, if any, and no walk starts while a
 * dlclose is on its way. A walk is one stack (microseconds), so dlclose
 * waits at most that long; the walker takes no lock the host may hold.
 * A walk that finds a library gone finds no rules for its pcs and ends the
 * stack there. (Libraries glibc unloads by itself, without calling
 * dlclose, are not fenced.)
 */
#ifndef PPROF_AGENT_UNLOAD_FENCE_H
#define PPROF_AGENT_UNLOAD_FENCE_H

/* Around the walk of a stack that is not the calling thread's. */
void unload_fence_walk_begin(void);
void unload_fence_walk_end(void);

/* Around the real dlclose. */
void unload_fence_unload_begin(void);
void unload_fence_unload_end(void);

/* In a forked child: the threads that were walking or unloading are not
 * there. */
void unload_fence_after_fork_child(void);

#endif
