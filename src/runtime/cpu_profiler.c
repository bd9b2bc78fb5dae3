/*
 * cpu_profiler.c — which mechanism takes the CPU samples (see
 * cpu_profiler.h): cpu_timer=perf uses perf events only, signal the SIGPROF
 * timers only, auto (the default) perf events and, when the kernel refuses
 * them (perf_event_paranoid, seccomp), the timers. The chosen one is said
 * in the profile's comments.
 */
#include "cpu_profiler.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "agent_thread.h"
#include "core_sys.h"
#include "cpu_perf.h"
#include "cpu_record.h"
#include "cpu_timers.h"
#include "rates.h"
#include "runtime.h"

struct mechanism {
	const char *source;   /* for the profile's comments */
	int (*start)(void);
	void (*stop)(void);
	void (*thread_begins)(void);
	void (*thread_ends)(void);
	int (*drain)(void);   /* -1: the profile must stop */
	int64_t (*drain_period)(int64_t hz);
	void (*after_fork_child)(void);
};

static int perf_drain(void)
{
	cpu_perf_drain();
	return 0;
}

static const struct mechanism perf = {
	"cpu samples taken by perf events (the kernel's task clock of each thread; no signal)",
	cpu_perf_start, cpu_perf_stop, cpu_perf_thread_begins, cpu_perf_thread_ends, perf_drain,
	cpu_perf_drain_period, cpu_perf_after_fork_child,
};

static const struct mechanism timers = {
	"cpu samples taken by " CPU_TIMERS_SIGNAL_NAME " from a CPU-time timer per thread",
	cpu_timers_start, cpu_timers_stop, cpu_timers_thread_begins, cpu_timers_thread_ends,
	cpu_timers_drain, cpu_timers_drain_period, cpu_timers_after_fork_child,
};

/* The mechanism taking samples; NULL: none. */
static _Atomic(const struct mechanism *) active;

static int start_with(const struct mechanism *m)
{
	if (m->start() != 0)
		return -1;
	cpu_record_set_source(m->source);
	cpu_records_clear(core_sys.walltime());
	atomic_store(&active, m);
	return 0;
}

static int start_perf(int say_why)
{
	if (start_with(&perf) == 0)
		return 0;
	if (say_why)
		agent_log("cpu profile: the kernel refuses to sample this process (perf_event_open: "
		          "%s; see /proc/sys/kernel/perf_event_paranoid): no cpu profile",
		          strerror(errno));
	else
		agent_debug("cpu profile: perf_event_open: %s: sampling with " CPU_TIMERS_SIGNAL_NAME
		            " timers instead", strerror(errno));
	return -1;
}

int cpu_profiler_start(int64_t hz)
{
	if (hz <= 0)
		return 0;
	cpu_record_set_period(1000000000 / hz);
	int timer = agent_opts.cpu_timer;
	int rc = timer == CPU_TIMER_SIGNAL ? start_with(&timers)
	         : timer == CPU_TIMER_PERF ? start_perf(1)
	         : start_perf(0) == 0      ? 0
	                                   : start_with(&timers);
	if (rc != 0)
		cpu_record_set_period(0);
	return rc;
}

void cpu_profiler_stop(void)
{
	const struct mechanism *m = atomic_exchange(&active, NULL);
	if (m)
		m->stop();
	cpu_record_set_period(0);
}

int cpu_profiler_on(void)
{
	return atomic_load(&active) != NULL;
}

void cpu_profiler_thread_begins(void)
{
	const struct mechanism *m = atomic_load(&active);
	if (!m)
		return;
	agent_enter();
	m->thread_begins();
	agent_leave();
}

void cpu_profiler_thread_ends(void)
{
	const struct mechanism *m = atomic_load(&active);
	if (m)
		m->thread_ends();
}

void cpu_profiler_drain(void)
{
	const struct mechanism *m = atomic_load(&active);
	if (m && m->drain() != 0)
		cpu_profiler_stop();
}

int64_t cpu_profiler_drain_period(void)
{
	const struct mechanism *m = atomic_load(&active);
	int64_t hz = atomic_load(&cpu_hz);
	int64_t period = m && hz > 0 ? m->drain_period(hz) : 100000000;
	return period < 5000000 ? 5000000 : period > 100000000 ? 100000000 : period;
}

void cpu_profiler_after_fork_child(void)
{
	const struct mechanism *m = atomic_load(&active);
	if (!m)
		return;
	m->after_fork_child();
	cpu_records_clear(core_sys.walltime());
}
