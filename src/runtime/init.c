/*
 * init.c — the agent's start: the library constructor reads PPROF_AGENT,
 * checks the output directory, sets the core's rates and switches
 * profiling on, then starts the agent thread and the exit snapshot.
 *
 * Bad options never stop the host: the agent prints one line naming what
 * was wrong and stays out of the way (no sampling, no thread, no files).
 * In secure-execution mode (a setuid program, say) it does not even read
 * its options: it stays inert however it was loaded.
 * Files are written when the agent was asked for (PPROF_AGENT set, or the
 * library preloaded); a program that merely links the library gets the API
 * with Go's default heap rate and writes profiles only when it asks.
 */
#include <stdlib.h>
#include <sys/auxv.h>
#include <string.h>
#include <sys/single_threaded.h>

#include "abrupt_endings.h"
#include "arena.h"
#include "child_env.h"
#include "cpu_profiler.h"
#include "dump_signal.h"
#include "ending.h"
#include "fork.h"
#include "http_server.h"
#include "next_alloc.h"
#include "preload_list.h"
#include "rates.h"
#include "runtime.h"
#include "schedule.h"
#include "snapshot.h"
#include "snapshot_signal.h"

/* follow_children=0: take our library out of LD_PRELOAD so programs this
 * one executes run without the agent. */
static void stop_following_children(void)
{
	const char *preload = getenv("LD_PRELOAD");
	char kept[4096];
	if (!preload_list_has_agent(preload) ||
	    preload_list_without_agent(preload, kept, sizeof kept) != 0)
		return;
	if (kept[0])
		setenv("LD_PRELOAD", kept, 1);
	else
		unsetenv("LD_PRELOAD");
}

/* Children (exec'd, with the agent) write where this process does, whatever
 * their working directory: PPROF_AGENT is passed on with the directory
 * made absolute. Only while this process has one thread: setenv may move
 * the environment under another thread's getenv. */
static void pass_the_directory_on(const char *spec)
{
	char with_dir[8192];
	if (__libc_single_threaded &&
	    options_spec_with_dir(spec, agent_opts.dir, with_dir, sizeof with_dir) == 0)
		setenv("PPROF_AGENT", with_dir, 1);
}

static void apply_rates(void)
{
	rates_set_heap(agent_opts.mem_rate);
	rates_set_block(agent_opts.block_rate_ns);
	rates_set_mutex_fraction(agent_opts.mutex_fraction);
	rates_set_depth(agent_opts.depth);
	rates_set_threadcreate(agent_opts.threadcreate);
	rates_set_threads(agent_opts.threads);
	rates_set_unwind_by_frame_pointers(agent_opts.unwind_fp);
}

static void at_exit_snapshot(void)
{
	snapshot_final();
}

/* Not static: nothing else refers to this file, so a program linking the
 * static libpprof-agent.a gets it only by asking for this name
 * (-Wl,--undefined=pprof_agent_init in pprof-agent.pc's Libs.private). In
 * the shared library it stays local (exports.map). */
void pprof_agent_init(void);
__attribute__((constructor)) void pprof_agent_init(void)
{
	char err[1024];
	next_alloc_resolve();
	/* setuid, setgid or file capabilities: whoever set the environment
	 * may not be who runs the program, so it is not even read. */
	if (getauxval(AT_SECURE)) {
		agent_secure = 1;
		return;
	}
	const char *spec = getenv("PPROF_AGENT");
	agent_writes_files = spec != NULL || preload_list_has_agent(getenv("LD_PRELOAD"));

	agent_enter();
	options_defaults(&agent_opts);
	if (options_parse(spec, &agent_opts, err, sizeof(err)) != 0 ||
	    (agent_writes_files && snapshot_files_init(err, sizeof err) != 0)) {
		agent_log("%s; profiling is off", err);
		agent_leave();
		return;
	}
	/* libdw is loaded now, not at the first snapshot: a dlopen then would
	 * take the program's lowest free descriptor for a moment, and a fork
	 * in another thread meanwhile would leave the child unable to load
	 * anything (docs/isolation.md). */
	snapshot_symbolizer_init();
	if (!agent_opts.follow_children) {
		stop_following_children();
		atomic_store(&child_preload_filter, preload_list_without_agent);
	} else if (agent_writes_files) {
		pass_the_directory_on(spec);
	}
	arena_set_limit((size_t)agent_opts.max_bucket_mem);
	fork_protocol_install();
	apply_rates();
	rates_start_profiling();
	if (agent_writes_files && agent_opts.cpu_hz > 0 && cpu_profiler_start(agent_opts.cpu_hz) == 0)
		rates_set_cpu_hz(agent_opts.cpu_hz);
	schedule_start();
	if (agent_writes_files) {
		atexit(at_exit_snapshot);
		if (agent_opts.signal)
			snapshot_signal_install(agent_opts.signal);
		if (agent_opts.dump_signal)   /* before the endings: the option wins */
			dump_signal_install(agent_opts.dump_signal);
		ending_install();
		abrupt_endings_install();
	}
	if (agent_opts.http[0]) {
		http_server_start();
		atexit(http_server_stop);
	}
	agent_debug("profiling to %s (mem_rate=%lld interval=%lldns)", agent_opts.dir,
	            (long long)agent_opts.mem_rate, (long long)agent_opts.interval_ns);
	agent_leave();
}
