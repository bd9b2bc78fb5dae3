/*
 * cpu_profiler.h — on-CPU sampling of the host's threads by the kernel, so
 * that no signal ever reaches the host (see cpu_profiler.c and
 * docs/cpu.md).
 */
#ifndef PPROF_AGENT_CPU_PROFILER_H
#define PPROF_AGENT_CPU_PROFILER_H

#include <stdint.h>

/* Starts sampling every thread of the process at hz (the calling thread
 * and those that exist already); the agent's own threads are left out.
 * Says in one line why, and returns -1, when the kernel refuses. */
int cpu_profiler_start(int64_t hz);

/* Stops sampling every thread (called by the snapshot lock's holder, after
 * a last drain). */
void cpu_profiler_stop(void);

/* Whether samples are being taken. */
int cpu_profiler_on(void);

/* A host thread starts (sampled from now on) or ends (its last samples are
 * read at the next drain). Called on that thread. */
void cpu_profiler_thread_begins(void);
void cpu_profiler_thread_ends(void);

/* Files the samples the kernel has taken since the last drain. Called by
 * the snapshot lock's holder only. */
void cpu_profiler_drain(void);

/* How often the samples must be drained so the kernel's buffers do not
 * fill, in ns. */
int64_t cpu_profiler_drain_period(void);

/* In a forked child: the parent's buffers are dropped; the child's one
 * thread is sampled under the child's pid. */
void cpu_profiler_after_fork_child(void);

#endif
