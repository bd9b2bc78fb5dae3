/*
 * hooks.h — the functions the agent interposes (malloc and friends, the
 * pthread locks, condition variables, semaphores, joins, pthread_create,
 * dlclose, sigaction and signal, _exit and _Exit), and the rules every
 * file in src/hooks/ keeps.
 *
 * A hook runs on the host's thread, in the middle of the host's call, with
 * whatever locks the host and its allocator hold. So, in src/hooks/:
 *   - forward to the next definition of the function (next_alloc.h,
 *     next_pthread.h) and return exactly what it returned, with its errno;
 *   - decide on the fast path with a few loads and a tail call: no lock,
 *     no system call, no allocation, no stack frame (the budget of each
 *     hook is in its file); everything else goes out of line
 *     (AGENT_HOOK_SLOW);
 *   - only on a sampled or contended path, call into the core (which
 *     raises the reentrancy guard itself where it may allocate or unwind),
 *     and never while holding the host's lock on the agent's behalf;
 *   - pass straight through while agent_guard is raised (the agent's own
 *     calls, and a signal handler that interrupted the agent);
 *   - live in the "pprof_agent_hooks" section (AGENT_HOOK), so stack
 *     capture can cut them;
 *   - be named in src/runtime/exports.map, the only symbols the library
 *     exports: a hook missing there is never called (e2e_exports.sh);
 *   - include only headers of src/hooks/, src/core/ and include/ (the build
 *     enforces it).
 */
#ifndef PPROF_AGENT_HOOKS_H
#define PPROF_AGENT_HOOKS_H

#include <stdint.h>

#include "core.h"
#include "unwind.h"

/* The out-of-line half of a hook (its sampled or contended path): in the
 * hooks' section like the hook itself, so stack capture cuts it too, and
 * never inlined, so the hook's fast path needs no stack frame. It keeps a
 * frame pointer of its own, for HOOK_CALLER. */
#define AGENT_HOOK_SLOW \
	__attribute__((noinline, section("pprof_agent_hooks"), optimize("no-omit-frame-pointer")))

/* In an AGENT_HOOK_SLOW function entered by its hook's tail call: the
 * host's registers at its call of the hook (its return address, its stack
 * pointer, its rbp, which this function's frame saved), where the stack
 * of the event starts (stack_capture), so the agent's own frames are never
 * walked. Entered by a call instead, it names the hook's frame, which the
 * capture cuts as before. */
#define HOOK_CALLER() \
	((struct unwind_regs){ \
	    .pc = (uintptr_t)__builtin_return_address(0), \
	    .sp = (uintptr_t)__builtin_frame_address(0) + 2 * sizeof(uintptr_t), \
	    .rbp = *(const uintptr_t *)__builtin_frame_address(0), \
	})

/* In a hook: declares next, the next definition of name (of type type),
 * found with dlsym(RTLD_NEXT) at the first call (needs <dlfcn.h> and
 * <stdatomic.h>). For hooks that are not on a hot path. */
#define NEXT_OF(type, name) \
	static type _Atomic next_; \
	type next = atomic_load_explicit(&next_, memory_order_relaxed); \
	if (unlikely(next == NULL)) { \
		*(void **)&next = dlsym(RTLD_NEXT, name); \
		atomic_store_explicit(&next_, next, memory_order_relaxed); \
	}

#endif
