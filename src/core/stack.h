/*
 * stack.h — call-stack capture for the sampled paths, through the unwinder
 * seam (the agent's own unwinder, unwind.h: cached frame rules, no lock,
 * no system call, no fault). Frames of
 * the agent itself — everything up to and including the hook the host
 * called, which lives in the "pprof_agent_hooks" section — are cut, so a
 * stack starts at the host function that called malloc or
 * pthread_mutex_lock.
 *
 * Never call this while holding an agent lock: the first capture on a
 * thread asks glibc for the thread's stack bounds, which allocates.
 */
#ifndef PPROF_AGENT_STACK_H
#define PPROF_AGENT_STACK_H

#include <stddef.h>
#include <stdint.h>

#include <pprof_agent.h>

/* The deepest stack the agent records: a record of the C API holds a whole
 * one, so the two are the same number. */
#define STACK_MAX PPROF_RECORD_STACK

struct unwind_regs;

/* Fills pcs (return addresses, leaf first) with at most max frames of the
 * caller of the current hook and returns the count. from, when not NULL,
 * holds the host's registers at its call of the hook (HOOK_CALLER in
 * hooks.h), so the agent's own frames are not walked at all. */
size_t stack_capture(uintptr_t *pcs, size_t max, const struct unwind_regs *from);

/* Whether a capture from from (not NULL), of at most max frames, would
 * give this thread's last capture's frames again (unwind.h's note: the
 * stack words the walk read still hold what it read): that capture's
 * number, to be compared with what the caller kept, or 0. */
unsigned long stack_capture_repeats(size_t max, const struct unwind_regs *from);

/* The number of this thread's last capture, when it can be repeated
 * (see above); else 0. */
unsigned long stack_capture_number(void);

#endif
