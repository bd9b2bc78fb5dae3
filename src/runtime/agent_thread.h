/*
 * agent_thread.h — the agent's thread: it wakes every `interval`, or when
 * asked (the snapshot signal), and takes a snapshot; it ends when no host
 * thread is left, so it never keeps a process alive. It blocks every
 * signal, so none meant for the host is ever delivered to it, and runs
 * with the reentrancy guard raised for its whole life, so nothing it does
 * is profiled. It is started only once the host has a thread of its own
 * (schedule.c).
 */
#ifndef PPROF_AGENT_AGENT_THREAD_H
#define PPROF_AGENT_AGENT_THREAD_H

/* Starts the thread (once). Returns 0 or -1 (after one line on stderr). */
int agent_thread_start(void);

/* Starts a detached thread of the agent's own running fn(NULL): every
 * signal blocked, created under the guard (so the host's pthread_create
 * hook neither records nor counts it), named name (which the cpu profile
 * and the threads kind use to leave it out). Returns pthread_create's
 * error number. */
int agent_spawn_thread(void *(*fn)(void *), const char *name);

/* Whether it has been started (in this process). */
int agent_thread_started(void);

/* Whether it runs now (it ends when no host thread is left).
 * Async-signal-safe. */
int agent_thread_running(void);

/* Async-signal-safe: wakes the thread for a snapshot, or to see whether it
 * should end. */
void agent_thread_wake(void);

/* In a forked child, where the parent's agent thread does not exist. */
void agent_thread_forget(void);

#endif
