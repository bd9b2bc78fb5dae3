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

static void *agent_main(void *arg)
{
	(void)arg;
	agent_enter();   /* for good: nothing this thread does is profiled */
	thread_stacks_set_agent_thread(gettid());   /* nor listed in the threads kind */
	atomic_store(&running, 1);
	for (;;) {
		int rc;
		if (agent_opts.interval_ns > 0) {
			struct timespec deadline = deadline_after(agent_opts.interval_ns);
			rc = sem_clockwait(&wake, CLOCK_MONOTONIC, &deadline);
		} else {
			rc = sem_wait(&wake);
		}
		if (rc != 0 && errno == EINTR)
			continue;
		ending_serve();
		/* The host's last thread is gone: end, so the process can (an
		 * ending signal that came meanwhile is served first). */
		if (lifecycle_host_threads() <= 0) {
			atomic_store(&running, 0);
			ending_serve();
			pthread_exit(NULL);
		}
		snapshot_now();
	}
	return NULL;
}

int agent_thread_start(void)
{
	int expected = 0;
	if (!atomic_compare_exchange_strong(&started, &expected, 1))
		return 0;
	pthread_t tid;
	pthread_attr_t attr;
	sigset_t all;
	sigfillset(&all);
	sem_init(&wake, 0, 0);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setsigmask_np(&attr, &all);
	agent_enter();
	int rc = pthread_create(&tid, &attr, agent_main, NULL);
	agent_leave();
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		atomic_store(&started, 0);
		agent_log("cannot start the agent thread: %s", strerror(rc));
		return -1;
	}
	pthread_setname_np(tid, "pprof-agent");
	return 0;
}
