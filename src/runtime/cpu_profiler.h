/*
 * cpu_profiler.h — on-CPU sampling of the host's threads, by perf events
 * (cpu_perf.c: the kernel samples, no signal reaches the host) or, where
 * those are refused or cpu_timer=signal asks for it, by a SIGPROF timer
 * per thread (cpu_timers.c). See cpu_profiler.c and docs/cpu.md.
 *
 * Threads: the calling thread and those already running when sampling
 * starts (host_threads.c), then every thread created through
 * pthread_create, from its start wrapper. The agent's own threads are
 * created under the guard, bypass that wrapper and are never sampled.
 */
#ifndef PPROF_AGENT_CPU_PROFILER_H
#define PPROF_AGENT_CPU_PROFILER_H

#include <stdint.h>

/* Starts sampling every thread of the process at hz (the calling thread
 * and those that exist already) with the mechanism the cpu_timer option
 * chooses; the agent's own threads are left out. Says in one line why, and
 * returns -1, when neither may run. */
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

/* Files the samples taken since the last drain; stops the profile when
 * the program has taken the signal. Called by the snapshot lock's holder
 * only. */
void cpu_profiler_drain(void);

/* How often the samples must be drained so the buffers do not fill, in
 * ns. */
int64_t cpu_profiler_drain_period(void);

/* In a forked child: the parent's buffers are dropped; the child's one
 * thread is sampled under the child's pid. */
void cpu_profiler_after_fork_child(void);

#endif
