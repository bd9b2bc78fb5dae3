/*
 * host_threads.h — the host's threads running now, for the cpu profile's
 * mechanisms to start sampling those that existed before it started.
 */
#ifndef PPROF_AGENT_HOST_THREADS_H
#define PPROF_AGENT_HOST_THREADS_H

#include <sys/types.h>

/* Calls fn with the id of every thread of the process listed in
 * /proc/self/task, except the calling one and the agent's own (known by
 * their names, agent_thread_names.h). */
void host_threads_each(void (*fn)(pid_t tid));

#endif
