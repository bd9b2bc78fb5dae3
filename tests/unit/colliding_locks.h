/*
 * colliding_locks.h — lock addresses that all land on one home slot of the
 * lock-waiter table (src/core/lock_waiters.c), so a test can fill a probe
 * sequence and see what happens to the next waiter.
 */
#ifndef PPROF_AGENT_COLLIDING_LOCKS_H
#define PPROF_AGENT_COLLIDING_LOCKS_H

#include <stddef.h>

/* Writes n distinct addresses with one home slot into out; returns how
 * many it found (n unless the search space ran out). */
size_t colliding_locks(const void **out, size_t n);

#endif
