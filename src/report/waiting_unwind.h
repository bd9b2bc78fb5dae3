/*
 * waiting_unwind.h — the stack of a thread that waits in a system call,
 * walked in a copy of its stack (thread_stacks.c takes the copy).
 *
 * /proc/self/task/TID/syscall gives such a thread's stack pointer and
 * program counter, but not its frame pointer (rbp), and the C library's
 * wrappers of poll, read, accept, nanosleep, epoll_wait and most others
 * leave rbp as their caller had it without saving it anywhere. Code built
 * without frame pointers never needs rbp to find its caller (its rules say
 * CFA = rsp + n), so the walk goes on as usual; a frame whose rule needs
 * rbp (a function built with frame pointers: CFA = rbp + 16) while rbp is
 * not known has its frame pointer found by a scan of its frame (see
 * waiting_unwind.c), and the walk goes on from there; once a frame that
 * saved its caller's rbp is passed, rbp is known again.
 */
#ifndef PPROF_AGENT_WAITING_UNWIND_H
#define PPROF_AGENT_WAITING_UNWIND_H

#include <stddef.h>
#include <stdint.h>

#include "unwind.h"

/* Writes up to max code addresses of the thread whose registers are from
 * (rbp unknown: it is ignored) into pcs, innermost first, walking mem (a
 * copy, so no read can fault), and returns how many. As unwind_stack. */
size_t unwind_waiting_thread(struct unwind_regs from, const struct stack_memory *mem,
                             uintptr_t *pcs, size_t max);

/* Whether the code just before ra is a call instruction (a near call,
 * direct or indirect), read without any chance of a fault. For the unit
 * tests, and the scan. */
int follows_call(uintptr_t ra);

#endif
