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
#include "mem_tally.h"
#include "rates.h"
#include "sampler.h"

uint64_t heap_est_bytes(uint64_t size, uint64_t est_count)
{
	return (uint64_t)(((__uint128_t)size * est_count + EST_ONE / 2) / EST_ONE);
}

/* Adds one object (sign 1) to a side of its bucket's record, or takes it
 * back (sign -1). */
static void charge(struct bucket *b, enum mem_side side, uint64_t size, uint64_t est, int sign)
{
	uint64_t m = sign > 0 ? 1 : (uint64_t)-1;
	struct mem_change c = { m, m * size, m * est, m * heap_est_bytes(size, est) };
	mem_tally_add(&b->rec.mem, side, &c);
}

static int remove_and_charge(uintptr_t addr, struct sampled_alloc *out)
{
	int found = sampled_addr_remove(addr, out);
	if (found == 1)
		charge(out->bucket, MEM_FREE, out->size, out->est_count, 1);
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
	charge(b, MEM_ALLOC, a.size, a.est_count, 1);
	if (sampled_addr_insert(&a) != 0)
		charge(b, MEM_FREE, a.size, a.est_count, 1);
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
	charge(a->bucket, MEM_FREE, a->size, a->est_count, -1);
	if (sampled_addr_insert(a) != 0)
		charge(a->bucket, MEM_FREE, a->size, a->est_count, 1);
	agent_leave();
}
