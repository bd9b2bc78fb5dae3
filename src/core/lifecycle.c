/*
 * lifecycle.c — counting the host's threads and calling the runtime when
 * the process changes (see lifecycle.h).
 *
 * The count is exact for the process's first thread and every thread
 * created after the agent loaded: it rises before pthread_create (so it
 * never reads zero while a thread is being born) and falls when the
 * thread's key destructor runs, which glibc does at every thread end,
 * whether the start routine returned or called pthread_exit. Threads that
 * existed before the agent loaded (a library dlopen'd late) are not
 * counted; the count may then reach zero early, which only ends the agent
 * thread early.
 */
#include "lifecycle.h"

#include <pthread.h>

#include "core_sys.h"
#include "mem_tally.h"
#include "unload_fence.h"

atomic_llong snapshot_due_at = INT64_MAX;
atomic_int snapshot_asked;

static struct lifecycle_handlers handlers;
static atomic_int host_threads = 1;
static atomic_int threads_created;
static pthread_key_t thread_end_key;
static int key_ready;

static void thread_ended(void *value)
{
	(void)value;
	mem_tally_thread_ends();
	if (handlers.thread_ends)
		handlers.thread_ends();
	if (atomic_fetch_sub(&host_threads, 1) == 1 && handlers.no_thread_left)
		handlers.no_thread_left();
}

int lifecycle_install(const struct lifecycle_handlers *h)
{
	handlers = *h;
	key_ready = pthread_key_create(&thread_end_key, thread_ended) == 0;
	return key_ready ? 0 : -1;
}

void lifecycle_thread_creating(void)
{
	atomic_fetch_add(&host_threads, 1);
}

void lifecycle_thread_created(int succeeded)
{
	if (!succeeded) {
		atomic_fetch_sub(&host_threads, 1);
		return;
	}
	if (atomic_fetch_add(&threads_created, 1) == 0 && handlers.second_thread)
		handlers.second_thread();
}

void lifecycle_thread_begins(void)
{
	if (key_ready && pthread_setspecific(thread_end_key, &host_threads) == 0)
		mem_tally_thread_begins();
	if (handlers.thread_begins)
		handlers.thread_begins();
}

void lifecycle_first_thread_exits(void)
{
	/* A thread that carries the key is counted out by its destructor. */
	if (!key_ready || pthread_getspecific(thread_end_key) == NULL)
		thread_ended(NULL);
}

int lifecycle_host_threads(void)
{
	return atomic_load(&host_threads);
}

void lifecycle_after_fork_child(void)
{
	atomic_store(&host_threads, 1);
	atomic_store(&threads_created, 0);
	mem_tally_after_fork_child();
	unload_fence_after_fork_child();
}

void lifecycle_poll_slow(void)
{
	if (agent_guard || !handlers.snapshot_due)
		return;
	if (atomic_load(&snapshot_asked) ||
	    core_sys.nanotime() >= atomic_load_explicit(&snapshot_due_at, memory_order_relaxed))
		handlers.snapshot_due();
}
