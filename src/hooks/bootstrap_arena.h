/*
 * bootstrap_arena.h — the static memory that serves allocations made
 * before the next allocator is known: dlsym itself allocates (dlerror state
 * through calloc) while next_alloc.c resolves malloc. Blocks carry their
 * size in a header so realloc and malloc_usable_size work on them; they are
 * never freed (free ignores them), and the arena is static, so its memory
 * is zero until handed out, as calloc needs.
 */
#ifndef PPROF_AGENT_BOOTSTRAP_ARENA_H
#define PPROF_AGENT_BOOTSTRAP_ARENA_H

#include <stddef.h>

#define BOOTSTRAP_SIZE (64 * 1024)

extern unsigned char bootstrap_arena[BOOTSTRAP_SIZE];

/* size bytes aligned to align (at least 16), or NULL when the arena is
 * full. Thread-safe, lock-free. */
void *bootstrap_alloc(size_t size, size_t align);

/* Whether p was handed out by the arena: two compares. */
static inline int bootstrap_owns(const void *p)
{
	return (const unsigned char *)p >= bootstrap_arena &&
	       (const unsigned char *)p < bootstrap_arena + BOOTSTRAP_SIZE;
}

/* The size asked for when p was handed out. */
size_t bootstrap_size(const void *p);

#endif
