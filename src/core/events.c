/*
 * events.c — the block, mutex and threadcreate records (see events.h).
 * Block and mutex counts are fixed point (EST_ONE), delays nanoseconds.
 */
#include "events.h"

#include "buckets.h"
#include "core.h"
#include "core_sys.h"
#include "rates.h"

static void record(enum bucket_kind kind, uint64_t count_fx, uint64_t ns,
                   const struct unwind_regs *from)
{
	agent_enter();
	struct bucket *b = bucket_for_caller(kind, from);
	if (b) {
		atomic_fetch_add_explicit(&b->rec.block.count, count_fx, memory_order_relaxed);
		atomic_fetch_add_explicit(&b->rec.block.cycles, ns, memory_order_relaxed);
	}
	agent_leave();
}

void block_event(int64_t ns, const struct unwind_regs *from)
{
	int64_t rate = atomic_load_explicit(&block_rate_ns, memory_order_relaxed);
	if (rate <= 0 || agent_guard)
		return;
	if (ns <= 0)
		ns = 1;
	/* Go's blocksampled: events shorter than the rate are kept with
	 * probability ~ns/rate and then weighted by rate/ns. */
	if (rate > ns && (int64_t)(core_sys.random() % (uint64_t)rate) > ns)
		return;
	if (ns < rate)
		record(BUCKET_BLOCK, (uint64_t)((double)rate / (double)ns * (double)EST_ONE),
		       (uint64_t)rate, from);
	else
		record(BUCKET_BLOCK, EST_ONE, (uint64_t)ns, from);
}

void mutex_event(int64_t delay_ns, const struct unwind_regs *from)
{
	int64_t fraction = atomic_load_explicit(&mutex_fraction, memory_order_relaxed);
	if (fraction <= 0 || delay_ns <= 0 || agent_guard)
		return;
	if (fraction > 1 && core_sys.random() % (uint64_t)fraction != 0)
		return;
	record(BUCKET_MUTEX, (uint64_t)fraction * EST_ONE, (uint64_t)(fraction * delay_ns), from);
}

void threadcreate_event(const struct unwind_regs *from)
{
	if (agent_guard || !atomic_load_explicit(&threadcreate_on, memory_order_relaxed) ||
	    !profiling_started())
		return;
	agent_enter();
	struct bucket *b = bucket_for_caller(BUCKET_THREADCREATE, from);
	if (b)
		atomic_fetch_add_explicit(&b->rec.count, 1, memory_order_relaxed);
	agent_leave();
}
