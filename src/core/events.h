/*
 * events.h — recording the events that are not heap samples, as Go's
 * blockevent/saveblockevent and mutexevent do: a thread blocked (block
 * profile, charged to the waiter's stack), waiters charged to an unlock
 * (mutex profile, charged to the unlocker's stack), a thread created
 * (threadcreate, the creator's stack). Each decides whether the event is
 * sampled, captures the calling thread's stack and adds to its bucket. The
 * hooks call these only on the contended or blocking path.
 */
#ifndef PPROF_AGENT_EVENTS_H
#define PPROF_AGENT_EVENTS_H

#include <stdint.h>

/* Each takes from: the host's registers at its call of the hook, or NULL
 * (stack_capture). */
struct unwind_regs;

/* A thread was blocked for ns nanoseconds: sampled as Go's blocksampled
 * (events shorter than block_rate kept with probability ns/rate and weighted
 * by rate/ns) and recorded at the caller's stack. */
void block_event(int64_t ns, const struct unwind_regs *from);

/* An unlock was charged delay_ns (lock_unlock_delay): 1 in mutex_fraction
 * such unlocks is recorded, with count and delay multiplied by the fraction
 * at record time (newer Go). */
void mutex_event(int64_t delay_ns, const struct unwind_regs *from);

/* The calling thread created a thread. */
void threadcreate_event(const struct unwind_regs *from);

#endif
