/*
 * agent_thread_names.h — the names the agent gives its own threads, and
 * the one test of whether a thread is one of them: its threads are left
 * out of the cpu profile and the threads kind, which find threads by
 * listing /proc/self/task and read their names there.
 */
#ifndef PPROF_AGENT_AGENT_THREAD_NAMES_H
#define PPROF_AGENT_AGENT_THREAD_NAMES_H

#include <string.h>

#define AGENT_THREAD_NAME "pprof-agent"    /* snapshots, drains */
#define AGENT_HTTP_THREAD_NAME "pprof-http"

/* Whether comm (a thread's name, as /proc/.../comm holds it) is one of the
 * agent's own threads. */
static inline int agent_thread_named(const char *comm)
{
	return strncmp(comm, AGENT_THREAD_NAME, strlen(AGENT_THREAD_NAME)) == 0 ||
	       strncmp(comm, AGENT_HTTP_THREAD_NAME, strlen(AGENT_HTTP_THREAD_NAME)) == 0;
}

#endif
