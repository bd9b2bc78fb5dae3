/*
 * real_alloc.c — finds the next allocator with dlsym(RTLD_NEXT) and serves
 * the allocations made while doing so from a static bootstrap arena.
 *
 * The only thread that can be called back during resolution is the one
 * resolving (dlsym's own calloc); it is marked with a thread-local flag and
 * gets bootstrap memory. Any other thread that arrives meanwhile waits for
 * the resolver to finish: that wait is short and happens once per process.
 * Bootstrap blocks carry their size in a header so realloc and
 * malloc_usable_size work on them; free ignores them.
 */
#define _GNU_SOURCE
#include "real_alloc.h"

#include <dlfcn.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>

struct real_alloc real_alloc;
atomic_int real_alloc_state;

static __thread int resolving_here;

#define BOOTSTRAP_SIZE (64 * 1024)
static unsigned char bootstrap_arena[BOOTSTRAP_SIZE] __attribute__((aligned(64)));
static atomic_size_t bootstrap_used;

void *bootstrap_alloc(size_t size, size_t align)
{
	if (align < 16)
		align = 16;
	for (;;) {
		size_t used = atomic_load(&bootstrap_used);
		size_t start = (used + 16 + align - 1) & ~(align - 1);
		if (start + size > BOOTSTRAP_SIZE || start + size < start)
			return NULL;
		if (atomic_compare_exchange_weak(&bootstrap_used, &used, start + size)) {
			unsigned char *p = bootstrap_arena + start;
			memcpy(p - sizeof(size_t), &size, sizeof(size_t));
			return p;
		}
	}
}

int bootstrap_owns(const void *p)
{
	return (const unsigned char *)p >= bootstrap_arena &&
	       (const unsigned char *)p < bootstrap_arena + BOOTSTRAP_SIZE;
}

size_t bootstrap_size(const void *p)
{
	size_t size;
	memcpy(&size, (const unsigned char *)p - sizeof(size_t), sizeof(size_t));
	return size;
}

#define RESOLVE(name) (*(void **)&real_alloc.name = dlsym(RTLD_NEXT, #name))

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

int real_alloc_resolve(void)
{
	int expected = 0;
	if (resolving_here)
		return 0;
	if (atomic_compare_exchange_strong(&real_alloc_state, &expected, 1)) {
		resolving_here = 1;
		resolve_all();
		resolving_here = 0;
		atomic_store_explicit(&real_alloc_state, 2, memory_order_release);
		return 1;
	}
	while (!real_alloc_ready())
		sched_yield();
	return 1;
}
