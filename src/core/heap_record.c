/*
 * heap_record.c — records sampled allocations and their frees in the heap
 * buckets (see heap_record.h).
 *
 * A C program frees explicitly, so unlike Go (whose frees are discovered by
 * the GC's sweep and published two cycles later, mprof.go's memRecord
 * cycles) a free is charged the moment it happens and the in-use figures of a
 * snapshot are current.
 */
#include "heap_record.h"

#include "buckets.h"
#include "core.h"
#include "lifecycle.h"
#include "rates.h"
#include "sampler.h"

uint64_t heap_est_bytes(uint64_t size, uint64_t est_count)
{
	return (uint64_t)(((__uint128_t)size * est_count + EST_ONE / 2) / EST_ONE);
}

static void mem_record_add(struct mem_record *r, uint64_t size, uint64_t est)
{
	atomic_fetch_add_explicit(&r->allocs, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->alloc_bytes, size, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->est_allocs, est, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->est_alloc_bytes, heap_est_bytes(size, est),
	                          memory_order_relaxed);
}

static void mem_record_free(struct mem_record *r, uint64_t size, uint64_t est)
{
	atomic_fetch_add_explicit(&r->frees, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->free_bytes, size, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->est_frees, est, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->est_free_bytes, heap_est_bytes(size, est),
	                          memory_order_relaxed);
}

void heap_record_alloc(void *p, size_t size)
{
	int64_t rate = atomic_load_explicit(&heap_rate, memory_order_relaxed);

	agent_enter();
	struct bucket *b = bucket_for_caller(BUCKET_HEAP);
	struct sampled_alloc a = {
		.addr = (uintptr_t)p,
		.bucket = b,
		.size = size,
		.est_count = (uint64_t)(sampler_weight(size, rate) * (double)EST_ONE + 0.5),
	};
	mem_record_add(&b->rec.mem, a.size, a.est_count);
	if (sampled_addr_insert(&a) != 0)
		mem_record_free(&b->rec.mem, a.size, a.est_count);
	agent_leave();
	lifecycle_poll();
}

int heap_record_free(void *p, struct sampled_alloc *out)
{
	if (!sampled_addr_remove((uintptr_t)p, out))
		return 0;
	mem_record_free(&out->bucket->rec.mem, out->size, out->est_count);
	return 1;
}

void heap_restore(const struct sampled_alloc *a)
{
	struct mem_record *r = &a->bucket->rec.mem;
	atomic_fetch_sub_explicit(&r->frees, 1, memory_order_relaxed);
	atomic_fetch_sub_explicit(&r->free_bytes, a->size, memory_order_relaxed);
	atomic_fetch_sub_explicit(&r->est_frees, a->est_count, memory_order_relaxed);
	atomic_fetch_sub_explicit(&r->est_free_bytes, heap_est_bytes(a->size, a->est_count),
	                          memory_order_relaxed);
	if (sampled_addr_insert(a) != 0)
		mem_record_free(r, a->size, a->est_count);
}
