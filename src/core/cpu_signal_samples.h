/*
 * cpu_signal_samples.h — the samples a profiling signal's handler takes
 * (src/runtime/cpu_timers.c): the interrupted thread's registers and a
 * copy of the top of its stack, put into one of a fixed pool of buffers
 * that the agent thread drains and files like the kernel's samples
 * (cpu_record.c).
 *
 * The handler's side claims a free buffer with one compare-and-swap, reads
 * the stack with process_vm_readv on this process (a system call, so an
 * unmapped page ends the copy instead of faulting), and marks the buffer
 * full; it takes no lock, allocates nothing and calls nothing but that
 * system call. With no free buffer the sample is counted as lost. The
 * drain's side files every full buffer and frees it. Any number of
 * handlers (one per thread at a time) and one drain at a time.
 */
#ifndef PPROF_AGENT_CPU_SIGNAL_SAMPLES_H
#define PPROF_AGENT_CPU_SIGNAL_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

#define CPU_SIGNAL_SLOTS 256          /* samples held between drains */
#define CPU_SIGNAL_STACK_BYTES 8192   /* of the stack, per sample */

/* Maps the buffers (once; they stay for the process's life). Returns 0, or
 * -1 when there is no memory. */
int cpu_signal_samples_init(void);

/* Whether process_vm_readv may read this process's memory (seccomp may
 * forbid it: the samples then hold the interrupted instruction only). */
int cpu_signal_samples_stack_readable(void);

/* In a signal handler: one sample of the interrupted context (the
 * ucontext_t the kernel saved), standing for periods sampling periods (a
 * CPU-time timer is checked at the kernel's tick, so at 1000 Hz one signal
 * may stand for several expirations: 1 + si_overrun). Async-signal-safe;
 * errno is left as it was. */
void cpu_signal_samples_take(const void *ucontext, uint32_t periods);

/* Files every sample taken since the last drain (each standing for its
 * periods of period_ns of CPU), and the lost ones. The snapshot lock's
 * holder only. */
void cpu_signal_samples_drain(uint64_t period_ns);

/* In a forked child (one thread): every buffer free, nothing lost. */
void cpu_signal_samples_reset(void);

/* How many samples the pool holds (for how often it must be drained). */
size_t cpu_signal_samples_capacity(void);

#endif
