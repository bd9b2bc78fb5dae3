/*
 * schedule.c — when snapshots happen (see schedule.h): the lifecycle's
 * handlers, and the next time a snapshot falls due on a host thread.
 */
#include "schedule.h"

#include <stdint.h>

#include "agent_thread.h"
#include "core_sys.h"
#include "cpu_profiler.h"
#include "http_server.h"
#include "lifecycle.h"
#include "runtime.h"
#include "snapshot.h"

/* The next periodic snapshot on a host thread, from now. */
static void due_after_interval(void)
{
	int64_t at = agent_opts.interval_ns > 0 ? core_sys.nanotime() + agent_opts.interval_ns
	                                        : INT64_MAX;
	atomic_store(&snapshot_due_at, at);
}

static int thread_needed(void)
{
	return agent_writes_files &&
	       (agent_opts.interval_ns > 0 || agent_opts.signal != 0 || agent_opts.dump_signal != 0 ||
	        cpu_profiler_on());
}

/* The host created its first thread: from now on the agent thread keeps
 * time. */
static void on_second_thread(void)
{
	if (!thread_needed())
		return;
	atomic_store(&snapshot_due_at, INT64_MAX);
	agent_thread_start();
	if (atomic_exchange(&snapshot_asked, 0))
		agent_thread_wake();
}

static void on_no_thread_left(void)
{
	http_server_stop();
	agent_thread_wake();
}

/* On a host thread, at a sampled allocation. */
static void on_snapshot_due(void)
{
	if (agent_thread_started())
		return;
	/* A forked child that samples CPU starts its agent thread here. */
	if (cpu_profiler_on()) {
		atomic_store(&snapshot_due_at, INT64_MAX);
		on_second_thread();
		return;
	}
	atomic_store(&snapshot_asked, 0);
	due_after_interval();
	snapshot_now();
}

void schedule_start(void)
{
	static const struct lifecycle_handlers handlers = {
		.second_thread = on_second_thread,
		.no_thread_left = on_no_thread_left,
		.snapshot_due = on_snapshot_due,
		.thread_begins = cpu_profiler_thread_begins,
		.thread_ends = cpu_profiler_thread_ends,
	};
	if (lifecycle_install(&handlers) != 0)
		agent_debug("no thread-specific key left: thread ends are not followed");
	if (agent_writes_files)
		due_after_interval();
	/* The CPU samples are drained, and thread dumps written, by the
	 * agent thread, whatever the program's threads. */
	if (agent_opts.early_thread || cpu_profiler_on() || agent_opts.dump_signal)
		on_second_thread();
}

void schedule_cpu_started(void)
{
	on_second_thread();
}

void schedule_signal_asked(void)
{
	if (agent_thread_started())
		agent_thread_wake();
	else
		atomic_store(&snapshot_asked, 1);
}

void schedule_after_fork_child(void)
{
	agent_thread_forget();
	lifecycle_after_fork_child();
	atomic_store(&snapshot_asked, 0);
	cpu_profiler_after_fork_child();
	if (agent_writes_files)
		due_after_interval();
	/* The child's CPU samples need the agent thread, started at its next
	 * sampled allocation or thread (not here: this is a fork handler). */
	if (cpu_profiler_on())
		atomic_store(&snapshot_due_at, 0);
}
