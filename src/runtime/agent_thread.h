/*
 * agent_thread.h — the agent's thread: it wakes every `interval`, or when
 * asked (the snapshot signal, the API), and takes a snapshot. It runs with
 * the reentrancy guard raised for its whole life, so nothing it does is
 * profiled.
 */
#ifndef PPROF_AGENT_AGENT_THREAD_H
#define PPROF_AGENT_AGENT_THREAD_H

/* Starts the thread. Returns 0 or -1 (after one line on stderr). */
int agent_thread_start(void);

/* Async-signal-safe: wakes the agent thread for an immediate snapshot. */
void agent_thread_wake(void);

#endif
