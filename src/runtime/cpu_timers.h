/*
 * cpu_timers.h — on-CPU sampling by a signal: one CPU-time timer per host
 * thread sends that thread SIGPROF every period of its CPU time, and the
 * handler copies its registers and the top of its stack
 * (cpu_signal_samples.h). The mechanism cpu_timer=signal chooses, and
 * auto where perf events are refused (see cpu_profiler.c, docs/cpu.md).
 * Each function is cpu_profiler.h's of the same name.
 */
#ifndef PPROF_AGENT_CPU_TIMERS_H
#define PPROF_AGENT_CPU_TIMERS_H

#include <stdint.h>

#define CPU_TIMERS_SIGNAL SIGPROF
#define CPU_TIMERS_SIGNAL_NAME "SIGPROF"

/* Installs the handler (through the signal claims) and starts a timer for
 * the calling thread and every host thread running now, each firing every
 * cpu_record_period() ns of that thread's CPU time. -1 after one line
 * when the program has its own disposition for the signal, or a timer
 * cannot be made. */
int cpu_timers_start(void);
void cpu_timers_stop(void);
void cpu_timers_thread_begins(void);
void cpu_timers_thread_ends(void);
/* Files the samples; returns -1 (after one line) when the program has
 * taken the signal since: the caller stops the profile. */
int cpu_timers_drain(void);
int64_t cpu_timers_drain_period(int64_t hz);
void cpu_timers_after_fork_child(void);

#endif
