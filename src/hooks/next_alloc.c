/*
 * next_alloc.c — finds the next allocator with dlsym(RTLD_NEXT) (see
 * next_alloc.h).
 *
 * The only thread that can be called back during resolution is the one
 * resolving (dlsym's own calloc); it is marked with a thread-local flag and
 * gets bootstrap memory. Any other thread that arrives meanwhile waits for
 * the resolver to finish: that wait is short and happens once per process.
 */
#include "next_alloc.h"

#include <dlfcn.h>
#include <sched.h>

static void free_before_ready(void *p);

/* free is the one function the hooks call without asking whether the rest
 * is resolved (their fast path has no room for the question), so it starts
 * as a function that asks. */
struct next_alloc next_alloc = { .free = free_before_ready };
atomic_int next_alloc_state;

static __thread int resolving_here;

#define RESOLVE(name) (*(void **)&next_alloc.name = dlsym(RTLD_NEXT, #name))

static void resolve_all(void)
{
	RESOLVE(malloc);
	RESOLVE(free);
	RESOLVE(calloc);
	RESOLVE(realloc);
	RESOLVE(posix_memalign);
	RESOLVE(aligned_alloc);
	RESOLVE(memalign);
	RESOLVE(valloc);
	RESOLVE(pvalloc);
	RESOLVE(malloc_usable_size);
}

/* Only the next allocator's own blocks get here (the bootstrap arena's are
 * pinned in the sampled filter and never reach next_alloc.free), and the
 * next allocator cannot have handed one out before it was resolved: so this
 * runs at most for a free(NULL) before the first allocation. */
static void free_before_ready(void *p)
{
	if (p && next_alloc_resolve())
		next_alloc.free(p);
}

int next_alloc_resolve(void)
{
	int expected = 0;
	if (resolving_here)
		return 0;
	if (atomic_compare_exchange_strong(&next_alloc_state, &expected, 1)) {
		resolving_here = 1;
		resolve_all();
		resolving_here = 0;
		atomic_store_explicit(&next_alloc_state, 2, memory_order_release);
		return 1;
	}
	while (!next_alloc_ready())
		sched_yield();
	return 1;
}
