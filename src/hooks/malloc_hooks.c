/*
 * malloc_hooks.c — the interposed allocation API. Each hook decides first
 * and then forwards to the next allocator (next_alloc.c) with a tail call;
 * only an allocation the sampler's countdown does not cover, or a free of a
 * pointer the filter cannot rule out, takes the out-of-line half.
 *
 * Cost budget, unsampled path: malloc is the countdown (one TLS load, a
 * compare and a store) and a tail call; free is one byte load from the
 * sampled filter and a tail call. No stack frame, no lock, no system call,
 * no allocation. Readiness, the switches, the rate and the guard are all
 * folded into the countdown (sampler.h) and into the filter (the bootstrap
 * arena's blocks are pinned there). Sizes recorded are the sizes the program
 * asked for (calloc: n x size; aligned variants: the size argument).
 *
 * Frees must leave the sampled-address table before the memory goes back to
 * the allocator: once it is back, another thread may get the same address.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bootstrap_arena.h"
#include "heap_record.h"
#include "hooks.h"
#include "next_alloc.h"
#include "sampled_addrs.h"
#include "sampler.h"

static inline int use_bootstrap(void)
{
	return unlikely(!next_alloc_ready()) && !next_alloc_resolve();
}

/* After an allocation the countdown did not cover; from as for
 * heap_record_alloc. */
static inline void note_due(void *p, size_t size, const struct unwind_regs *from)
{
	if (p && sampler_decide(size))
		heap_record_alloc(p, size, from);
}

static inline void note_alloc(void *p, size_t size, const struct unwind_regs *from)
{
	if (sampler_should_sample(size) && p)
		heap_record_alloc(p, size, from);
}

static AGENT_HOOK_SLOW void *malloc_due(size_t size)
{
	if (use_bootstrap())
		return bootstrap_alloc(size, 16);
	void *p = next_alloc.malloc(size);
	struct unwind_regs from = HOOK_CALLER();
	note_due(p, size, &from);
	return p;
}

AGENT_HOOK void *malloc(size_t size)
{
	if (likely(sampler_count(size)))
		return next_alloc.malloc(size);
	return malloc_due(size);
}

/* A free the filter could not rule out: a bootstrap block, or maybe a
 * sampled allocation. */
static AGENT_HOOK_SLOW void free_maybe_sampled(void *p)
{
	struct sampled_alloc a;
	if (!p || bootstrap_owns(p))
		return;
	heap_record_free(p, &a);
	next_alloc.free(p);
}

AGENT_HOOK void free(void *p)
{
	if (likely(!sampled_addr_maybe(p)))
		return next_alloc.free(p);
	free_maybe_sampled(p);
}

static AGENT_HOOK_SLOW void *calloc_due(size_t n, size_t size)
{
	size_t total;
	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	if (use_bootstrap())
		return bootstrap_alloc(total, 16);   /* static memory: already zero */
	void *p = next_alloc.calloc(n, size);
	struct unwind_regs from = HOOK_CALLER();
	note_due(p, total, &from);
	return p;
}

AGENT_HOOK void *calloc(size_t n, size_t size)
{
	size_t total;
	if (likely(!__builtin_mul_overflow(n, size, &total) && sampler_count(total)))
		return next_alloc.calloc(n, size);
	return calloc_due(n, size);
}

static void *realloc_from_bootstrap(void *old, size_t size)
{
	void *p = malloc(size);
	size_t old_size = bootstrap_size(old);
	if (p)
		memcpy(p, old, old_size < size ? old_size : size);
	return p;
}

/* A realloc of a pointer the filter could not rule out (not yet counted),
 * or of a size the countdown did not cover (decide_now). */
static AGENT_HOOK_SLOW void *realloc_due(void *old, size_t size, int decide_now)
{
	struct sampled_alloc a;
	if (old && unlikely(bootstrap_owns(old)))
		return realloc_from_bootstrap(old, size);
	if (use_bootstrap())
		return bootstrap_alloc(size, 16);
	int was_sampled = old && sampled_addr_maybe(old) && heap_record_free(old, &a);
	void *p = next_alloc.realloc(old, size);
	if (!p && old && size != 0) {
		/* Failed: old is still allocated and still sampled. */
		if (was_sampled)
			heap_restore(&a);
		return NULL;
	}
	struct unwind_regs from = HOOK_CALLER();
	if (decide_now)
		note_due(p, size, &from);
	else
		note_alloc(p, size, &from);
	return p;
}

AGENT_HOOK void *realloc(void *old, size_t size)
{
	if (unlikely(sampled_addr_maybe(old)))
		return realloc_due(old, size, 0);
	if (likely(sampler_count(size)))
		return next_alloc.realloc(old, size);
	return realloc_due(old, size, 1);
}

AGENT_HOOK void *reallocarray(void *old, size_t n, size_t size)
{
	size_t total;
	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(old, total);
}

AGENT_HOOK int posix_memalign(void **out, size_t align, size_t size)
{
	if (use_bootstrap()) {
		*out = bootstrap_alloc(size, align);
		return *out ? 0 : ENOMEM;
	}
	int rc = next_alloc.posix_memalign(out, align, size);
	if (rc == 0)
		note_alloc(*out, size, NULL);
	return rc;
}

/* memalign-style hooks share one body; a next allocator that lacks the
 * function gets the request as posix_memalign. */
static void *aligned_via(void *(*fn)(size_t, size_t), size_t align, size_t size)
{
	void *p = NULL;
	if (use_bootstrap())
		return bootstrap_alloc(size, align);
	if (fn) {
		p = fn(align, size);
	} else {
		int rc = next_alloc.posix_memalign(&p, align, size);
		if (rc != 0) {
			errno = rc;
			p = NULL;
		}
	}
	note_alloc(p, size, NULL);
	return p;
}

AGENT_HOOK void *aligned_alloc(size_t align, size_t size)
{
	return aligned_via(next_alloc.aligned_alloc, align, size);
}

AGENT_HOOK void *memalign(size_t align, size_t size)
{
	return aligned_via(next_alloc.memalign, align, size);
}

AGENT_HOOK void *valloc(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (!use_bootstrap() && next_alloc.valloc) {
		void *p = next_alloc.valloc(size);
		note_alloc(p, size, NULL);
		return p;
	}
	return aligned_via(NULL, page, size);
}

AGENT_HOOK void *pvalloc(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (!use_bootstrap() && next_alloc.pvalloc) {
		void *p = next_alloc.pvalloc(size);
		note_alloc(p, size, NULL);
		return p;
	}
	return aligned_via(NULL, page, (size + page - 1) & ~(page - 1));
}

AGENT_HOOK size_t malloc_usable_size(void *p)
{
	if (!p)
		return 0;
	if (bootstrap_owns(p))
		return bootstrap_size(p);
	if (use_bootstrap() || !next_alloc.malloc_usable_size)
		return 0;
	return next_alloc.malloc_usable_size(p);
}
