/*
 * next_alloc.h — the allocator the agent forwards to: the next definition
 * of each allocation function after ours in the lookup order (glibc, or a
 * jemalloc/tcmalloc preloaded after us), found with dlsym(RTLD_NEXT).
 *
 * dlsym itself allocates (dlerror state through calloc) before anything is
 * resolved; those calls are served from the bootstrap arena
 * (bootstrap_arena.h). next_alloc_ready() is the hooks' cheap test.
 */
#ifndef PPROF_AGENT_NEXT_ALLOC_H
#define PPROF_AGENT_NEXT_ALLOC_H

#include <stdatomic.h>
#include <stddef.h>

struct next_alloc {
	void *(*malloc)(size_t);
	void (*free)(void *);
	void *(*calloc)(size_t, size_t);
	void *(*realloc)(void *, size_t);
	int (*posix_memalign)(void **, size_t, size_t);
	void *(*aligned_alloc)(size_t, size_t);
	void *(*memalign)(size_t, size_t);
	void *(*valloc)(size_t);
	void *(*pvalloc)(size_t);
	size_t (*malloc_usable_size)(void *);
};

extern struct next_alloc next_alloc;
extern atomic_int next_alloc_state;   /* 0 unresolved, 1 resolving, 2 ready */

/* Resolves every function (idempotent, thread-safe). Returns 1 when the
 * calling thread may use next_alloc, 0 when it must use the bootstrap arena
 * (it is the thread doing the resolving, called back from dlsym). */
int next_alloc_resolve(void);

static inline int next_alloc_ready(void)
{
	return atomic_load_explicit(&next_alloc_state, memory_order_acquire) == 2;
}

#endif
