/*
 * hooks.h — the functions the agent interposes (malloc and friends, the
 * pthread locks, condition variables, semaphores, joins, pthread_create,
 * dlclose), and the rules every file in src/hooks/ keeps.
 *
 * A hook runs on the host's thread, in the middle of the host's call, with
 * whatever locks the host and its allocator hold. So, in src/hooks/:
 *   - forward to the next definition of the function (next_alloc.h,
 *     next_pthread.h) and return exactly what it returned, with its errno;
 *   - decide on the fast path with a few loads and no call: no lock, no
 *     system call, no allocation (the budget of each hook is in its file);
 *   - only on a sampled or contended path, call into the core (which
 *     raises the reentrancy guard itself where it may allocate or unwind),
 *     and never while holding the host's lock on the agent's behalf;
 *   - pass straight through while agent_guard is raised (the agent's own
 *     calls, and a signal handler that interrupted the agent);
 *   - live in the "pprof_agent_hooks" section (AGENT_HOOK), so stack
 *     capture can cut them;
 *   - include only headers of src/hooks/, src/core/ and include/ (the build
 *     enforces it).
 */
#ifndef PPROF_AGENT_HOOKS_H
#define PPROF_AGENT_HOOKS_H

#include "core.h"

#endif
