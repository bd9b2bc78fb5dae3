/*
 * lifecycle.h — what the runtime needs to hear from the host's threads,
 * so the agent can live in a process without changing what the process is.
 *
 * The agent starts no thread of its own while the host has only one: a
 * single-threaded program keeps glibc's single-thread fast paths and can do
 * what only single-threaded programs may (unshare(CLONE_NEWUSER), for one).
 * So:
 *   - the host's first pthread_create tells the runtime, which starts the
 *     agent thread then (the process is multi-threaded from then on anyway);
 *   - until then a periodic snapshot that falls due, or one the snapshot
 *     signal asked for, is taken by the host's thread at its next sampled
 *     allocation (lifecycle_poll, once the allocator has returned). Never
 *     at a lock event: the lock just taken may be the allocator's own,
 *     and a snapshot allocates;
 *   - every host thread is counted, from just before its creation to its
 *     end (a thread-specific key's destructor; the first thread's
 *     pthread_exit), and when none is left the runtime lets the agent
 *     thread end, so it never keeps alive a process whose main thread
 *     called pthread_exit.
 * The runtime installs its handlers once; hooks and core call the rest.
 */
#ifndef PPROF_AGENT_LIFECYCLE_H
#define PPROF_AGENT_LIFECYCLE_H

#include <stdatomic.h>
#include <stdint.h>

#include "core.h"

struct lifecycle_handlers {
	void (*second_thread)(void);     /* the host created its first thread */
	void (*no_thread_left)(void);    /* the last host thread is ending */
	void (*snapshot_due)(void);      /* on a host thread, guard lowered */
	void (*thread_begins)(void);     /* on a new host thread, first thing */
	void (*thread_ends)(void);       /* on a host thread, at its end */
};

/* Installs the handlers and starts counting (the calling thread counts as
 * the process's first). Returns 0, or -1 when no thread-specific key is
 * left (thread ends are then not followed). */
int lifecycle_install(const struct lifecycle_handlers *handlers);

/* pthread_create's hook, around the real call. */
void lifecycle_thread_creating(void);
void lifecycle_thread_created(int succeeded);
/* The new thread itself, first thing (from the start routine wrapper). */
void lifecycle_thread_begins(void);
/* The first thread's pthread_exit (other threads are counted out by their
 * key's destructor). */
void lifecycle_first_thread_exits(void);

/* Host threads alive now. */
int lifecycle_host_threads(void);

/* In a forked child: one thread, the one that forked. */
void lifecycle_after_fork_child(void);

/* When a snapshot falls due on a host thread (monotonic ns; INT64_MAX:
 * never, as when the agent thread keeps time), and whether one was asked. */
extern atomic_llong snapshot_due_at;
extern atomic_int snapshot_asked;

void lifecycle_poll_slow(void);

/* Called on the sampled allocation path with the guard lowered, holding
 * nothing: one load when nothing is due. */
static inline void lifecycle_poll(void)
{
	if (unlikely(atomic_load_explicit(&snapshot_due_at, memory_order_relaxed) != INT64_MAX ||
	             atomic_load_explicit(&snapshot_asked, memory_order_relaxed)))
		lifecycle_poll_slow();
}

#endif
