/*
 * stack.h — call-stack capture for the sampled paths, through the unwinder
 * seam (libunwind's unw_backtrace: its per-thread trace cache makes a warm
 * short stack cost well under a microsecond and no system call). Frames of
 * the agent itself — everything up to and including the hook the host
 * called, which lives in the "pprof_agent_hooks" section — are cut, so a
 * stack starts at the host function that called malloc or
 * pthread_mutex_lock.
 *
 * Never call this while holding an agent lock: the unwinder may take the
 * loader lock (dl_iterate_phdr) on a cache miss.
 */
#ifndef PPROF_AGENT_STACK_H
#define PPROF_AGENT_STACK_H

#include <stddef.h>
#include <stdint.h>

#include <pprof_agent.h>

/* The deepest stack the agent records: a record of the C API holds a whole
 * one, so the two are the same number. */
#define STACK_MAX PPROF_RECORD_STACK

/* Fills pcs (return addresses, leaf first) with at most max frames of the
 * caller of the current hook and returns the count. */
size_t stack_capture(uintptr_t *pcs, size_t max);

/* Sets the unwinder's caching policy and warms its caches (call once from
 * the constructor, before any sampling). */
void stack_init(void);

#endif
