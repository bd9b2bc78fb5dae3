/*
 * cpu_record.h — on-CPU samples filed by stack: a sample is the registers
 * and a copy of the top of the stack of a thread that was running (taken by
 * the kernel or a signal's handler, see src/runtime/cpu_profiler.c), unwound here from the copy
 * and counted in its stack's BUCKET_CPU bucket.
 *
 * A CPU profile is a delta: each file covers the time since the previous
 * one. The buckets hold what was sampled since the last file; clearing them
 * starts the next interval. Samples are filed, read and cleared by one
 * thread at a time (the snapshot lock's holder), so the counters need no
 * atomic read-modify-write.
 */
#ifndef PPROF_AGENT_CPU_RECORD_H
#define PPROF_AGENT_CPU_RECORD_H

#include <stdint.h>

#include "unwind.h"

/* Files one sample: regs are the interrupted thread's (its pc exact), mem
 * the copy of its stack from regs.sp up. It counts as samples samples
 * (more than 1 when a timer expired several times before it was taken)
 * and nanos of CPU time (samples times the sampling period). */
void cpu_record_sample(struct unwind_regs regs, const struct stack_memory *mem, uint64_t samples,
                       uint64_t nanos);

/* The sampling period, in CPU ns (0: not sampling). */
void cpu_record_set_period(int64_t ns);
int64_t cpu_record_period(void);

/* What took the samples, for the profile's comments ("" until set; a
 * string that lives for the process). */
void cpu_record_set_source(const char *how);
const char *cpu_record_source(void);

/* Samples that could not be handed over (a buffer was full): counted, and
 * filed under the pseudo-frame BUCKET_LOST_PC with the CPU time they stand
 * for, as Go files its lost samples, so the profile's total is still the
 * CPU time sampled and the loss shows in it. */
void cpu_record_lost(uint64_t samples);
uint64_t cpu_lost_samples(void);

/* Starts a new interval: every bucket back to zero, the lost count too;
 * now_wall_ns is when it starts. */
void cpu_records_clear(int64_t now_wall_ns);

/* When the current interval started (wall clock ns; 0: never cleared). */
int64_t cpu_interval_start(void);

/* The C API's profile (pprof_start_cpu_profile), counted apart from the
 * files' intervals: begin clears its counts and starts counting (returns
 * -1 when one is already being counted); end stops counting. */
int cpu_record_api_begin(int64_t now_wall_ns);
void cpu_record_api_end(void);
int cpu_record_api_active(void);
int64_t cpu_record_api_start(void);

#endif
