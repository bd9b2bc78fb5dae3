/*
 * agent_thread.c — the agent's thread (see agent_thread.h): a timed wait
 * on a semaphore, then a snapshot, until no host thread is left.
 */
#include "agent_thread.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent_thread_names.h"
#include "cpu_profiler.h"
#include "dump_signal.h"
#include "ending.h"
#include "lifecycle.h"
#include "runtime.h"
#include "snapshot.h"
#include "thread_stacks.h"

static sem_t wake;
static atomic_int started;
static atomic_int running;   /* from its start until it ends */

int agent_thread_started(void)
{
	return atomic_load(&started);
}

void agent_thread_wake(void)
{
	int saved = errno;
	if (atomic_load(&started))
		sem_post(&wake);
	errno = saved;
}

int agent_thread_running(void)
{
	return atomic_load(&running);
}

void agent_thread_forget(void)
{
	thread_stacks_set_agent_thread(0);
	atomic_store(&started, 0);
	atomic_store(&running, 0);
}

/* The absolute CLOCK_MONOTONIC time interval_ns from now. */
static struct timespec deadline_after(int64_t interval_ns)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += interval_ns / 1000000000;
	t.tv_nsec += interval_ns % 1000000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

static int64_t monotonic_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Waits for a wake-up or the next periodic snapshot; while CPU samples are
 * taken, also returns every drain period to drain them. Returns 1 when a
 * snapshot is due (woken, or the interval has passed), 0 after a drain. */
static int wait_for_work(int64_t *next_snapshot)
{
	for (;;) {
		int64_t now = monotonic_ns();
		int64_t until = *next_snapshot;
		if (cpu_profiler_on() && now + cpu_profiler_drain_period() < until)
			until = now + cpu_profiler_drain_period();
		int rc;
		if (until == INT64_MAX) {
			rc = sem_wait(&wake);
		} else {
			struct timespec deadline = deadline_after(until - now);
			rc = sem_clockwait(&wake, CLOCK_MONOTONIC, &deadline);
		}
		if (rc == 0)
			return 1;
		if (errno == EINTR)
			continue;
		if (monotonic_ns() >= *next_snapshot)
			return 1;
		snapshot_drain_cpu();
		if (lifecycle_host_threads() <= 0)
			return 1;
	}
}

static void *agent_main(void *arg)
{
	(void)arg;
	agent_enter();   /* for good: nothing this thread does is profiled */
	thread_stacks_set_agent_thread(gettid());   /* nor listed in the threads kind */
	atomic_store(&running, 1);
	int64_t interval = agent_opts.interval_ns;
	int64_t next_snapshot = interval > 0 ? monotonic_ns() + interval : INT64_MAX;
	for (;;) {
		wait_for_work(&next_snapshot);
		ending_serve();
		/* The host's last thread is gone: end, so the process can (an
		 * ending signal that came meanwhile is served first). */
		if (lifecycle_host_threads() <= 0) {
			atomic_store(&running, 0);
			ending_serve();
			pthread_exit(NULL);
		}
		/* Woken for a thread dump alone: no snapshot is due. */
		if (dump_signal_serve() && monotonic_ns() < next_snapshot)
			continue;
		snapshot_now();
		next_snapshot = interval > 0 ? monotonic_ns() + interval : INT64_MAX;
	}
	return NULL;
}

int agent_thread_start(void)
{
	int expected = 0;
	if (!atomic_compare_exchange_strong(&started, &expected, 1))
		return 0;
	sem_init(&wake, 0, 0);
	int rc = agent_spawn_thread(agent_main, AGENT_THREAD_NAME);
	if (rc != 0) {
		atomic_store(&started, 0);
		agent_log("cannot start the agent thread: %s", strerror(rc));
		return -1;
	}
	return 0;
}

int agent_spawn_thread(void *(*fn)(void *), const char *name)
{
	pthread_t tid;
	pthread_attr_t attr;
	sigset_t all;
	sigfillset(&all);
	/* The guard covers the attribute too: its signal mask lives in memory
	 * glibc allocates, the agent's, never counted in the host's heap. */
	agent_enter();
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setsigmask_np(&attr, &all);
	int rc = pthread_create(&tid, &attr, fn, NULL);
	pthread_attr_destroy(&attr);
	if (rc == 0)
		pthread_setname_np(tid, name);
	agent_leave();
	return rc;
}
