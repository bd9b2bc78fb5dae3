/*
 * thread_hooks.c — pthread_create and pthread_exit.
 *
 * pthread_create records the creating stack of every thread in the
 * threadcreate buckets (Go's thread-creation records, with the stacks Go's
 * own profile has lacked since 2013), and tells the lifecycle (lifecycle.h)
 * about the thread: counted before it exists, and, through a small start
 * wrapper that runs first in the new thread, counted out when it ends. The
 * wrapper also tells the unwinder where the thread's stack lies
 * (thread_stack.h); it lives in the hooks' section, so stack capture drops
 * it from the root of the thread's stacks. Threads the agent starts itself
 * are created with the guard raised and are neither recorded nor counted.
 *
 * pthread_exit tells the lifecycle when the process's first thread ends
 * that way (other threads are counted out by the wrapper's key).
 */
#include <pthread.h>
#include <unistd.h>

#include "events.h"
#include "hooks.h"
#include "lifecycle.h"
#include "next_alloc.h"
#include "next_pthread.h"
#include "thread_stack.h"

struct start {
	void *(*fn)(void *);
	void *arg;
};

/* Tells the unwinder where this thread's stack lies, asking glibc while
 * nothing is locked: pthread_getattr_np allocates, so it cannot be asked
 * later, from inside a malloc or a lock the host is taking. Called with
 * the guard raised. */
static void note_own_stack(void)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;
	if (pthread_getattr_np(pthread_self(), &attr) != 0)
		return;
	if (pthread_attr_getstack(&attr, &addr, &size) == 0)
		thread_stack_note((uintptr_t)addr, (uintptr_t)addr + size);
	pthread_attr_destroy(&attr);
}

static AGENT_HOOK_SLOW void *host_thread_main(void *p)
{
	struct start s = *(struct start *)p;
	agent_enter();
	next_alloc.free(p);
	note_own_stack();
	agent_leave();
	lifecycle_thread_begins();
	return s.fn(s.arg);
}

/* The start wrapper's argument, from the allocator the host uses (the
 * guard keeps it out of the heap profile); NULL when there is none. */
static struct start *start_of(void *(*fn)(void *), void *arg)
{
	agent_enter();
	struct start *s = next_alloc_ready() ? next_alloc.malloc(sizeof *s) : NULL;
	agent_leave();
	if (s) {
		s->fn = fn;
		s->arg = arg;
	}
	return s;
}

AGENT_HOOK int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *),
                              void *arg)
{
	if (agent_guard)
		return next_pthread.create(t, attr, fn, arg);
	struct start *s = start_of(fn, arg);
	lifecycle_thread_creating();
	int rc = s ? next_pthread.create(t, attr, host_thread_main, s)
	           : next_pthread.create(t, attr, fn, arg);
	if (rc != 0 && s) {
		agent_enter();
		next_alloc.free(s);
		agent_leave();
	}
	lifecycle_thread_created(rc == 0);
	if (rc == 0)
		threadcreate_event(NULL);
	return rc;
}

AGENT_HOOK void pthread_exit(void *value)
{
	if (!agent_guard && gettid() == getpid())
		lifecycle_first_thread_exits();
	next_pthread.exit(value);
}
