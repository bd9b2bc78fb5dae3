/*
 * thread_stacks.h — every live thread of the process and where it is,
 * taken without interrupting any of them: the threads kind's data (Go's
 * goroutine profile, for native threads).
 *
 * No signal is sent and no thread is stopped, so no system call of the
 * program can fail with EINTR, return early or be restarted because of
 * this. What is read, per thread (/proc/self/task/TID):
 *   - a thread waiting in the kernel (a system call, most often) has its
 *     stack pointer and program counter in `syscall`; its stack is in our
 *     own address space, so it is copied with process_vm_readv on our own
 *     pid (a read that cannot fault, even when the stack is being
 *     unmapped) and walked in the copy (waiting_unwind.h). The copy is kept
 *     only when the thread did not move meanwhile: `syscall` reads the same
 *     before and after, and so do its context switch counts in `status`
 *     (a thread that woke up and waited again has switched once more).
 *     After three tries it is shown as running, without a stack;
 *   - a thread running (or ready to run) in user space has no stack taken:
 *     state "running", no frames;
 *   - the thread that takes the snapshot, when it is one of the program's
 *     (an API call, or the one thread of a program that has not started
 *     another), walks its own stack, from the program's call into the agent;
 *   - the agent's own thread is left out.
 * Reading `syscall` waits, on our side, until the thread is off its CPU;
 * the thread itself is not touched.
 */
#ifndef PPROF_AGENT_THREAD_STACKS_H
#define PPROF_AGENT_THREAD_STACKS_H

#include <stddef.h>
#include <stdint.h>

#include "stack.h"

struct thread_sample {
	int tid;
	char name[16];     /* /proc/self/task/TID/comm */
	char state[32];    /* "running", "sleeping", or the system call waited in */
	size_t nstk;       /* 0: no stack taken */
	uintptr_t stk[STACK_MAX];   /* return addresses, leaf first */
};

struct thread_list {
	struct thread_sample *v;
	size_t n, cap;
};

/* Fills list (zeroed by the caller) with every live thread but the
 * agent's, stacks up to depth frames. Returns 0, or -1 with errno (the
 * list then holds what was taken; free it anyway). */
int thread_stacks_take(struct thread_list *list, size_t depth);

/* The same for the calling thread alone (runtime.Stack's), whoever it
 * is: its stack from its call into the agent. */
int thread_stacks_take_self(struct thread_list *list, size_t depth);

void thread_list_free(struct thread_list *list);

/* The C API's records (pprof_thread_profile) with the `n, ok` contract
 * (records.h): the threads are taken once; *n is their count. Returns 1
 * when they were copied, 0 when len was too small, -1 with errno when they
 * could not be taken. */
struct pprof_thread_record;
int thread_stacks_records(struct pprof_thread_record *out, size_t len, size_t *n, size_t depth);

/* The agent's thread is tid (0: there is none): it is never listed. */
void thread_stacks_set_agent_thread(int tid);

#endif
