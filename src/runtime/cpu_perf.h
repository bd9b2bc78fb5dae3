/*
 * cpu_perf.h — on-CPU sampling of the host's threads by the kernel (one
 * perf event per thread), so that no signal ever reaches the host (see
 * cpu_perf.c and docs/cpu.md). One of the two mechanisms cpu_profiler.c
 * chooses between; each function is that file's of the same name.
 */
#ifndef PPROF_AGENT_CPU_PERF_H
#define PPROF_AGENT_CPU_PERF_H

#include <stdint.h>

/* Opens an event for the calling thread and every host thread running
 * now, sampling every cpu_record_period() ns of CPU; -1 with errno when the
 * kernel refuses the calling thread's. */
int cpu_perf_start(void);
void cpu_perf_stop(void);
void cpu_perf_thread_begins(void);
void cpu_perf_thread_ends(void);
void cpu_perf_drain(void);
int64_t cpu_perf_drain_period(int64_t hz);
void cpu_perf_after_fork_child(void);

#endif
