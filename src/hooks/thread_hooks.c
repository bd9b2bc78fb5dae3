/*
 * thread_hooks.c — pthread_create: records the creating stack of every
 * thread in the threadcreate buckets (Go's thread-creation records, with
 * the stacks Go's own profile has lacked since 2013). Threads the agent
 * starts itself run with the guard raised and are not recorded.
 */
#include <pthread.h>

#include "events.h"
#include "hooks.h"
#include "next_pthread.h"

AGENT_HOOK int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *),
                              void *arg)
{
	int rc = next_pthread.create(t, attr, fn, arg);
	if (rc == 0)
		threadcreate_event();
	return rc;
}
