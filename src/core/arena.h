/*
 * arena.h — a bump allocator on mapped chunks for the agent's long-lived
 * records (stack buckets, the log of module instances), in the manner of
 * Go's persistentalloc: memory is never freed, never comes from the host's
 * allocator (so it can be used inside a malloc hook and is never part of
 * the host's heap), and its total is capped so a program with millions of
 * distinct stacks cannot make the agent grow without bound.
 */
#ifndef PPROF_AGENT_ARENA_H
#define PPROF_AGENT_ARENA_H

#include <stddef.h>
#include <stdint.h>

/* Returns zeroed, 16-byte aligned memory, or NULL when the cap would be
 * exceeded, mapping failed or a fork in progress holds the lock.
 * Thread-safe. */
void *arena_alloc(size_t size);
/* The same, aligned to align (a power of two up to the page size), e.g. a
 * cache line for memory one thread writes and others must not share. */
void *arena_alloc_aligned(size_t size, size_t align);

/* The cap (max_bucket_mem) and what has been handed out so far. */
void arena_set_limit(size_t limit);
size_t arena_used(void);

/* For fork: takes (releases) the arena lock, rank RANK_ARENA. */
void arena_lock_all(void);
void arena_unlock_all(void);

#endif
