/*
 * rates.c — the rates and switches of rates.h and their setters. Setters
 * clamp what Go clamps (a negative rate is off) and note which rates have
 * ever been on.
 */
#include "rates.h"

#include "sampler.h"
#include "stack.h"

atomic_llong heap_rate;
atomic_llong block_rate_ns;
atomic_llong mutex_fraction;
atomic_int stack_depth = STACK_MAX;
atomic_int threadcreate_on;
atomic_llong cpu_hz;
atomic_int threads_on;
atomic_int unwind_by_frame_pointers;
atomic_int profiling_on;
atomic_int contention_on;

static atomic_int ever_on;

static void note_on(enum rate_bit bit, int64_t rate)
{
	if (rate > 0)
		atomic_fetch_or_explicit(&ever_on, bit, memory_order_relaxed);
}

void rates_set_heap(int64_t rate)
{
	rate = rate < 0 ? 0 : rate;
	note_on(EVER_HEAP, rate);
	atomic_store(&heap_rate, rate);
	sampler_restart_thread();
}

static void update_contention_on(void)
{
	atomic_store(&contention_on, atomic_load(&block_rate_ns) > 0 || atomic_load(&mutex_fraction) > 0);
}

void rates_set_block(int64_t rate_ns)
{
	rate_ns = rate_ns < 0 ? 0 : rate_ns;
	note_on(EVER_BLOCK, rate_ns);
	atomic_store(&block_rate_ns, rate_ns);
	update_contention_on();
}

int64_t rates_set_mutex_fraction(int64_t fraction)
{
	if (fraction < 0)
		return atomic_load(&mutex_fraction);
	note_on(EVER_MUTEX, fraction);
	int64_t previous = atomic_exchange(&mutex_fraction, fraction);
	update_contention_on();
	return previous;
}

void rates_set_depth(int depth)
{
	atomic_store(&stack_depth, depth < 1 ? 1 : depth > STACK_MAX ? STACK_MAX : depth);
}

void rates_set_threadcreate(int on)
{
	atomic_store(&threadcreate_on, on != 0);
}

void rates_set_cpu_hz(int64_t hz)
{
	hz = hz < 0 ? 0 : hz > 10000 ? 10000 : hz;
	note_on(EVER_CPU, hz);
	atomic_store(&cpu_hz, hz);
}

void rates_set_threads(int on)
{
	atomic_store(&threads_on, on != 0);
}

void rates_set_unwind_by_frame_pointers(int on)
{
	atomic_store(&unwind_by_frame_pointers, on != 0);
}

void rates_start_profiling(void)
{
	atomic_store(&profiling_on, 1);
	sampler_restart_thread();
}

int rates_ever_on(enum rate_bit bit)
{
	return (atomic_load_explicit(&ever_on, memory_order_relaxed) & bit) != 0;
}
