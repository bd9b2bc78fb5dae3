/*
 * syscall_names.h — the names of the system calls a thread is usually
 * found waiting in (the threads kind's `state` label).
 */
#ifndef PPROF_AGENT_SYSCALL_NAMES_H
#define PPROF_AGENT_SYSCALL_NAMES_H

/* The name of system call nr (as <sys/syscall.h> numbers it), or NULL for
 * one not in the table. */
const char *syscall_name(long nr);

#endif
