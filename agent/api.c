/*
 * api.c — the public C API (include/pprof_agent.h): Go's rate setters and
 * record copies with the `n, ok` contract, and WriteTo/snapshot entry
 * points. Records are read from the buckets without a lock, like a
 * snapshot; a record updated concurrently may be one event behind.
 */
#include <errno.h>
#include <string.h>

#include "pprof_agent.h"

#include "agent.h"
#include "agent_thread.h"
#include "buckets.h"
#include "contention.h"
#include "profile_kinds.h"
#include "sampler.h"

AGENT_API int64_t pprof_mem_profile_rate(void)
{
	return atomic_load(&heap_rate);
}

AGENT_API void pprof_set_mem_profile_rate(int64_t rate)
{
	atomic_store(&heap_rate, rate < 0 ? 0 : rate);
}

AGENT_API void pprof_set_block_profile_rate(int64_t rate_ns)
{
	atomic_store(&block_rate_ns, rate_ns < 0 ? 0 : rate_ns);
}

AGENT_API int64_t pprof_set_mutex_profile_fraction(int64_t fraction)
{
	if (fraction < 0)
		return atomic_load(&mutex_fraction);
	return atomic_exchange(&mutex_fraction, fraction);
}

static void copy_stack(struct pprof_stack_record *r, const struct bucket *b)
{
	size_t n = b->nstk < PPROF_RECORD_STACK ? b->nstk : PPROF_RECORD_STACK;
	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < n; i++)
		r->stack[i] = b->stk[i];
}

/* Every record function walks the buckets twice: once to count, once to
 * copy if the caller's array is large enough. */
struct record_walk {
	enum bucket_kind kind;
	int inuse_zero;
	size_t n, len;
	void *out;   /* NULL while counting */
};

static int mem_wanted(const struct bucket *b, int inuse_zero)
{
	const struct mem_record *m = &b->rec.mem;
	uint64_t ab = atomic_load(&m->alloc_bytes), fb = atomic_load(&m->free_bytes);
	return inuse_zero ? atomic_load(&m->allocs) > 0 : ab != fb;
}

static void record_visit(struct bucket *b, void *arg)
{
	struct record_walk *w = arg;
	if (w->kind == BUCKET_HEAP && !mem_wanted(b, w->inuse_zero))
		return;
	if (w->out && w->n < w->len) {
		switch (w->kind) {
		case BUCKET_HEAP: {
			struct pprof_mem_record *r = (struct pprof_mem_record *)w->out + w->n;
			const struct mem_record *m = &b->rec.mem;
			r->alloc_bytes = (int64_t)atomic_load(&m->alloc_bytes);
			r->free_bytes = (int64_t)atomic_load(&m->free_bytes);
			r->alloc_objects = (int64_t)atomic_load(&m->allocs);
			r->free_objects = (int64_t)atomic_load(&m->frees);
			copy_stack(&r->stack, b);
			break;
		}
		case BUCKET_BLOCK:
		case BUCKET_MUTEX: {
			struct pprof_block_record *r = (struct pprof_block_record *)w->out + w->n;
			r->count = (int64_t)(atomic_load(&b->rec.block.count) / EST_ONE);
			if (r->count == 0)
				r->count = 1;   /* Go clamps a block record's count to at least 1 */
			r->cycles = (int64_t)atomic_load(&b->rec.block.cycles);
			copy_stack(&r->stack, b);
			break;
		}
		default:
			copy_stack((struct pprof_stack_record *)w->out + w->n, b);
			break;
		}
	}
	w->n++;
}

static int records(enum bucket_kind kind, int inuse_zero, void *out, size_t len, size_t *n)
{
	struct record_walk w = { .kind = kind, .inuse_zero = inuse_zero };
	buckets_visit(kind, record_visit, &w);
	*n = w.n;
	if (w.n > len)
		return 0;
	w = (struct record_walk){ .kind = kind, .inuse_zero = inuse_zero, .len = len, .out = out };
	buckets_visit(kind, record_visit, &w);
	*n = w.n < len ? w.n : len;
	return 1;
}

AGENT_API int pprof_mem_profile(struct pprof_mem_record *p, size_t len, int inuse_zero, size_t *n)
{
	return records(BUCKET_HEAP, inuse_zero, p, len, n);
}

AGENT_API int pprof_block_profile(struct pprof_block_record *p, size_t len, size_t *n)
{
	return records(BUCKET_BLOCK, 0, p, len, n);
}

AGENT_API int pprof_mutex_profile(struct pprof_block_record *p, size_t len, size_t *n)
{
	return records(BUCKET_MUTEX, 0, p, len, n);
}

AGENT_API int pprof_thread_create_profile(struct pprof_stack_record *p, size_t len, size_t *n)
{
	return records(BUCKET_THREADCREATE, 0, p, len, n);
}

AGENT_API int pprof_write_profile(const char *kind, int fd)
{
	int k = profile_kind_from_name(kind);
	if (k < 0) {
		errno = EINVAL;
		return -1;
	}
	return agent_write_kind(k, fd);
}

AGENT_API int pprof_snapshot(void)
{
	return agent_snapshot_now();
}
