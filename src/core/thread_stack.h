/*
 * thread_stack.h — the bounds of the calling thread's own stack, which the
 * unwinder needs before it reads a word of it.
 *
 * Found once per thread, without ever calling the allocator (the unwinder
 * runs inside the host's malloc and lock calls, where the allocator may be
 * the very thing that is locked):
 *   - a thread the agent saw start is told its bounds by the start wrapper
 *     (thread_stack_note), which asks glibc before the thread's own code
 *     runs;
 *   - the process's first thread reaches from __libc_stack_end down as far
 *     as its stack may grow;
 *   - any other thread (one started before the agent was loaded) finds the
 *     mapping around its stack pointer in /proc/self/maps, read with plain
 *     system calls into a buffer on its stack (its descriptor, close-on-exec,
 *     lives for those few calls only).
 */
#ifndef PPROF_AGENT_THREAD_STACK_H
#define PPROF_AGENT_THREAD_STACK_H

#include <stdint.h>

/* The calling thread's stack is [lo, hi). */
void thread_stack_note(uintptr_t lo, uintptr_t hi);

/* The top of the calling thread's stack when sp lies in it, else 0 (a
 * stack of the program's own making, such as a coroutine's). */
uintptr_t thread_stack_top(uintptr_t sp);

/* The mapping that holds addr now, [*lo, *hi), read from /proc/self/maps
 * as above (for another thread's stack: the threads kind); 0 when none. */
int thread_stack_mapping_of(uintptr_t addr, uintptr_t *lo, uintptr_t *hi);

/* The mapping of /proc/self/maps that holds addr, from a text of its
 * lines: 1 and [*lo, *hi) when found. For the unit tests. */
int thread_stack_find_in_maps(const char *text, uintptr_t addr, uintptr_t *lo, uintptr_t *hi);

#endif
