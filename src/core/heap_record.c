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

static int remove_and_charge(uintptr_t addr, struct sampled_alloc *out)
{
	int found = sampled_addr_remove(addr, out);
	if (found == 1)
		mem_record_free(&out->bucket->rec.mem, out->size, out->est_count);
	return found;
}

/* Charges the frees that were queued (see sampled_addrs.h). */
static void charge_queued_frees(void)
{
	uintptr_t addr;
	struct sampled_alloc out;
	while (sampled_addr_take_later(&addr)) {
		if (remove_and_charge(addr, &out) < 0) {
			sampled_addr_remove_later(addr);
			return;
		}
	}
}

void heap_record_alloc(void *p, size_t size, const struct unwind_regs *from)
{
	int64_t rate = atomic_load_explicit(&heap_rate, memory_order_relaxed);

	agent_enter();
	charge_queued_frees();
	struct bucket *b = bucket_for_caller(BUCKET_HEAP, from);
	if (!b) {
		agent_leave();
		return;
	}
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
	if (agent_guard) {
		sampled_addr_remove_later((uintptr_t)p);
		return 0;
	}
	agent_enter();
	int found = remove_and_charge((uintptr_t)p, out);
	agent_leave();
	if (found < 0)
		sampled_addr_remove_later((uintptr_t)p);
	return found == 1;
}

void heap_restore(const struct sampled_alloc *a)
{
	agent_enter();
	struct mem_record *r = &a->bucket->rec.mem;
	atomic_fetch_sub_explicit(&r->frees, 1, memory_order_relaxed);
	atomic_fetch_sub_explicit(&r->free_bytes, a->size, memory_order_relaxed);
	atomic_fetch_sub_explicit(&r->est_frees, a->est_count, memory_order_relaxed);
	atomic_fetch_sub_explicit(&r->est_free_bytes, heap_est_bytes(a->size, a->est_count),
	                          memory_order_relaxed);
	if (sampled_addr_insert(a) != 0)
		mem_record_free(r, a->size, a->est_count);
	agent_leave();
}
