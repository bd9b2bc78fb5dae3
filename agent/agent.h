/*
 * agent.h — state shared by every part of the agent: the options in force,
 * the per-thread reentrancy guard, the agent's own spin lock, and logging.
 *
 * The reentrancy guard (jemalloc's pre_reentrancy/post_reentrancy): any code
 * of the agent that may allocate, lock or unwind while it is inside a hook
 * raises agent_guard first. Hooks check it and pass straight through to the
 * real function while it is raised, so the agent's own allocations (libdw,
 * libunwind, the encoder, zlib) are never sampled and never recurse. The
 * agent thread and the exit-time snapshot keep it raised for their whole
 * run, which is also why the agent thread never shows in any profile.
 *
 * Agent locks are spin locks on purpose: a pthread mutex would go through
 * the agent's own pthread hooks. They are held for a few hundred instructions
 * at most, never across an unwind or a call into the real allocator.
 */
#ifndef PPROF_AGENT_AGENT_H
#define PPROF_AGENT_AGENT_H

#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>

#include "options.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Functions called from host code paths (hooks) live in this section, so
 * stack capture can cut the agent's own frames by address. */
#define AGENT_HOOK __attribute__((section("pprof_agent_hooks"), visibility("default")))
#define AGENT_API __attribute__((visibility("default")))

extern __thread int agent_guard;

static inline void agent_enter(void) { agent_guard++; }
static inline void agent_leave(void) { agent_guard--; }

/* The options parsed at load time (written once by the constructor, read
 * everywhere after; the run-time setters change only the atomics below). */
extern struct agent_options agent_opts;
/* 1 once the constructor has finished and the agent is profiling. */
extern atomic_int agent_running;

typedef struct { atomic_flag flag; } spinlock;
#define SPINLOCK_INIT { ATOMIC_FLAG_INIT }

static inline void spin_lock(spinlock *l)
{
	unsigned spins = 0;
	while (atomic_flag_test_and_set_explicit(&l->flag, memory_order_acquire)) {
		if (++spins > 64)
			sched_yield();
	}
}

static inline void spin_unlock(spinlock *l)
{
	atomic_flag_clear_explicit(&l->flag, memory_order_release);
}

/* One line to stderr, prefixed "pprof-agent: ", without allocating. */
void agent_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, only when verbose=1. */
void agent_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
