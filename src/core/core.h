/*
 * core.h — the counting core of the agent, and the rules every file in
 * src/core/ keeps.
 *
 * The core is what Go's runtime/mprof.go is to Go: it decides which events
 * are sampled (sampler, contention), captures their stacks (stack), files
 * them in stack-keyed buckets (buckets, arena), remembers which live
 * allocations were sampled (sampled_addrs, heap_record), charges lock waits
 * (lock_waiters) and holds every rate and switch (rates). It knows nothing
 * of profiles, files, options or threads of its own.
 *
 * Its functions run on the host's threads, called from inside an
 * interposed malloc, free or pthread call (src/hooks/). So, in src/core/:
 *   - never call the host's allocator (malloc and friends): long-lived
 *     memory comes from the arena (mmap, capped), tables from core_sys.map;
 *   - never take a pthread lock, block, sleep, do file I/O or log (one
 *     exception: a thread the agent did not see start reads its stack's
 *     bounds from /proc/self/maps, once, in thread_stack.c);
 *   - take only the core's own spin locks (spinlock.h), in rank order,
 *     for a few hundred instructions, and never hold one across an unwind or
 *     a call that may itself take a lock;
 *   - reach the operating system (clock, randomness, unwinder, mmap) only
 *     through the seams of core_sys.h (thread_stack.c's one-time look at
 *     the thread's own stack aside);
 *   - raise the reentrancy guard (below) around anything that may allocate,
 *     lock or unwind, so a nested hook call passes straight through;
 *   - include only headers of src/core/ and include/ (the build enforces it).
 */
#ifndef PPROF_AGENT_CORE_H
#define PPROF_AGENT_CORE_H

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Functions the host calls (the hooks) live in this section, so stack
 * capture can cut the agent's own frames by address (stack.c). */
#define AGENT_HOOK __attribute__((section("pprof_agent_hooks"), visibility("default")))
/* The public C API (include/pprof_agent.h). */
#define AGENT_API __attribute__((visibility("default")))

/*
 * The reentrancy guard (jemalloc's pre_reentrancy/post_reentrancy): any
 * agent code that may allocate, lock or unwind while it is inside a hook
 * raises agent_guard first. Hooks check it and pass straight through to the
 * next function while it is raised, so the agent's own allocations (libdw,
 * libunwind, the encoder, zlib) are never sampled and never recurse, and a
 * signal handler that interrupts the agent on the same thread cannot take a
 * lock that thread already holds. The agent's own threads keep it raised
 * for their whole life, which is also why they never show in a profile.
 */
extern __thread int agent_guard;

static inline void agent_enter(void)
{
	agent_guard++;
}

static inline void agent_leave(void)
{
	agent_guard--;
}

#endif
