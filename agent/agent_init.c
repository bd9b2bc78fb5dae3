/*
 * agent_init.c — the agent's start: the library constructor reads
 * PPROF_AGENT, checks the output directory, and switches profiling on; it
 * also holds the process-wide state declared in agent.h and the log.
 *
 * Bad options never stop the host: the agent prints one line naming what
 * was wrong and stays out of the way (no sampling, no thread, no files).
 * Files are written when the agent was asked for (PPROF_AGENT set, or the
 * library preloaded); a program that merely links the library gets the API
 * with Go's default heap rate and writes profiles only when it asks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "agent_arena.h"
#include "contention.h"
#include "agent_thread.h"
#include "real_alloc.h"
#include "sampler.h"
#include "stack.h"

__thread int agent_guard;
struct agent_options agent_opts;
atomic_int agent_running;


static void log_line(const char *fmt, va_list ap)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "pprof-agent: ");
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, len);
	(void)w;
}

void agent_log(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;
	va_start(ap, fmt);
	log_line(fmt, ap);
	va_end(ap);
	errno = saved;
}

void agent_debug(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;
	if (!agent_opts.verbose)
		return;
	va_start(ap, fmt);
	log_line(fmt, ap);
	va_end(ap);
	errno = saved;
}

static int preloaded(void)
{
	const char *preload = getenv("LD_PRELOAD");
	return preload && strstr(preload, "libpprof-agent") != NULL;
}

/* follow_children=0: take our library out of LD_PRELOAD so programs this
 * one executes run without the agent. */
static void stop_following_children(void)
{
	const char *preload = getenv("LD_PRELOAD");
	char kept[4096];
	size_t len = 0;
	if (!preload)
		return;
	const char *p = preload;
	while (*p) {
		size_t n = strcspn(p, ": ");
		if (n > 0 && !(memmem(p, n, "libpprof-agent", 14) != NULL) && len + n + 1 < sizeof(kept)) {
			if (len)
				kept[len++] = ' ';
			memcpy(kept + len, p, n);
			len += n;
		}
		p += n;
		if (*p)
			p++;
	}
	kept[len] = '\0';
	if (len)
		setenv("LD_PRELOAD", kept, 1);
	else
		unsetenv("LD_PRELOAD");
}

static void apply_rates(void)
{
	atomic_store(&block_rate_ns, agent_opts.block_rate_ns);
	atomic_store(&mutex_fraction, agent_opts.mutex_fraction);
	atomic_store(&heap_rate, agent_opts.mem_rate);
}

static void on_snapshot_signal(int sig)
{
	(void)sig;
	agent_request_snapshot();
}

static void install_snapshot_signal(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_snapshot_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) != 0)
		agent_log("option signal: cannot install a handler for %s: %s", strsignal(sig),
		          strerror(errno));
}

static void at_exit_snapshot(void)
{
	agent_final_snapshot();
}

__attribute__((constructor)) static void agent_init(void)
{
	char err[1024];
	const char *spec = getenv("PPROF_AGENT");
	int write_files = spec != NULL || preloaded();

	real_alloc_resolve();
	agent_enter();
	options_defaults(&agent_opts);
	if (options_parse(spec, &agent_opts, err, sizeof(err)) != 0 ||
	    (write_files && options_resolve_dir(&agent_opts, err, sizeof(err)) != 0)) {
		agent_log("%s; profiling is off", err + (strncmp(err, "pprof-agent: ", 13) ? 0 : 13));
		agent_leave();
		return;
	}
	if (!agent_opts.follow_children)
		stop_following_children();
	arena_set_limit((size_t)agent_opts.max_bucket_mem);
	stack_init();
	agent_symbolizer_init();
	pthread_atfork(agent_fork_prepare, agent_fork_parent, agent_fork_child);
	apply_rates();
	atomic_store(&agent_running, 1);
	if (write_files) {
		atexit(at_exit_snapshot);
		agent_thread_start();
		if (agent_opts.signal)
			install_snapshot_signal(agent_opts.signal);
	}
	agent_debug("profiling to %s (mem_rate=%lld interval=%lldns)", agent_opts.dir,
	            (long long)agent_opts.mem_rate, (long long)agent_opts.interval_ns);
	agent_leave();
}
