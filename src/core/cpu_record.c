/*
 * cpu_record.c — on-CPU samples filed by stack (see cpu_record.h).
 */
#include "cpu_record.h"

#include <stdatomic.h>

#include "buckets.h"
#include "rates.h"
#include "stack.h"
#include "unload_fence.h"

static atomic_ullong lost;
static atomic_llong interval_start;
static atomic_int api_active;
static atomic_llong period_ns;
static atomic_llong api_start;
static _Atomic(const char *) source = "";

static void add(atomic_ullong *c, uint64_t v)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + v,
	                      memory_order_relaxed);
}

/* Counts samples standing for nanos of CPU time in b, and in the C API's
 * profile while it runs. */
static void file_in(struct bucket *b, uint64_t samples, uint64_t nanos)
{
	add(&b->rec.cpu.samples, samples);
	add(&b->rec.cpu.nanos, nanos);
	if (atomic_load_explicit(&api_active, memory_order_relaxed)) {
		add(&b->rec.cpu.api_samples, samples);
		add(&b->rec.cpu.api_nanos, nanos);
	}
}

void cpu_record_sample(struct unwind_regs regs, const struct stack_memory *mem, uint64_t samples,
                       uint64_t nanos)
{
	uintptr_t pcs[STACK_MAX];
	size_t depth = (size_t)atomic_load_explicit(&stack_depth, memory_order_relaxed);
	regs.pc_is_exact = 1;
	unload_fence_walk_begin();
	size_t n = atomic_load_explicit(&unwind_by_frame_pointers, memory_order_relaxed)
	                   ? unwind_stack_fp(regs, mem, pcs, depth)
	                   : unwind_stack(regs, mem, pcs, depth);
	unload_fence_walk_end();
	struct bucket *b = bucket_for_stack(BUCKET_CPU, pcs, n);
	if (b)
		file_in(b, samples, nanos);
	else
		cpu_record_lost(samples);
}

void cpu_record_set_period(int64_t ns)
{
	atomic_store(&period_ns, ns);
}

int64_t cpu_record_period(void)
{
	return atomic_load(&period_ns);
}

void cpu_record_set_source(const char *how)
{
	atomic_store(&source, how);
}

const char *cpu_record_source(void)
{
	return atomic_load(&source);
}

void cpu_record_lost(uint64_t samples)
{
	static const uintptr_t lost_stack[1] = { BUCKET_LOST_PC };
	atomic_fetch_add(&lost, samples);
	struct bucket *b = bucket_for_stack(BUCKET_CPU, lost_stack, 1);
	if (b)
		file_in(b, samples, samples * (uint64_t)atomic_load(&period_ns));
}

uint64_t cpu_lost_samples(void)
{
	return atomic_load(&lost);
}

static void clear_bucket(struct bucket *b, void *arg)
{
	(void)arg;
	atomic_store_explicit(&b->rec.cpu.samples, 0, memory_order_relaxed);
	atomic_store_explicit(&b->rec.cpu.nanos, 0, memory_order_relaxed);
}

void cpu_records_clear(int64_t now_wall_ns)
{
	buckets_visit(BUCKET_CPU, clear_bucket, NULL);
	atomic_store(&lost, 0);
	atomic_store(&interval_start, now_wall_ns);
}

int64_t cpu_interval_start(void)
{
	return atomic_load(&interval_start);
}

static void clear_api(struct bucket *b, void *arg)
{
	(void)arg;
	atomic_store_explicit(&b->rec.cpu.api_samples, 0, memory_order_relaxed);
	atomic_store_explicit(&b->rec.cpu.api_nanos, 0, memory_order_relaxed);
}

int cpu_record_api_begin(int64_t now_wall_ns)
{
	if (atomic_load(&api_active))
		return -1;
	buckets_visit(BUCKET_CPU, clear_api, NULL);
	atomic_store(&api_start, now_wall_ns);
	atomic_store(&api_active, 1);
	return 0;
}

void cpu_record_api_end(void)
{
	atomic_store(&api_active, 0);
}

int cpu_record_api_active(void)
{
	return atomic_load(&api_active);
}

int64_t cpu_record_api_start(void)
{
	return atomic_load(&api_start);
}
