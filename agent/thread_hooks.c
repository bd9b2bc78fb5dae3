/*
 * thread_hooks.c — pthread_create: records the creating stack of every
 * thread in the threadcreate buckets (Go's thread-creation records, with
 * the stacks Go's own profile has lacked since 2013). Threads the agent
 * starts itself run with the guard raised and are not recorded.
 */
#define _GNU_SOURCE
#include <pthread.h>

#include "agent.h"
#include "buckets.h"
#include "real_pthread.h"
#include "stack.h"

static void thread_create_event(void)
{
	uintptr_t stk[STACK_MAX];
	agent_enter();
	size_t n = stack_capture(stk, (size_t)agent_opts.depth);
	struct bucket *b = bucket_for_stack(BUCKET_THREADCREATE, stk, n);
	atomic_fetch_add_explicit(&b->rec.count, 1, memory_order_relaxed);
	agent_leave();
}

AGENT_HOOK int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *),
                              void *arg)
{
	real_pthread_ensure();
	int rc = real_pthread.create(t, attr, fn, arg);
	if (rc == 0 && !agent_guard && agent_opts.threadcreate &&
	    atomic_load_explicit(&agent_running, memory_order_relaxed))
		thread_create_event();
	return rc;
}
