/*
 * schedule.h — when snapshots happen. With an agent thread, it keeps
 * time. Without one (a process that has never created a thread: the agent
 * starts none either, see lifecycle.h), a snapshot that falls due, or that
 * the snapshot signal asks for, is taken by the host's thread at its next
 * sampled allocation, and the exit snapshot by the exit handler as always.
 */
#ifndef PPROF_AGENT_SCHEDULE_H
#define PPROF_AGENT_SCHEDULE_H

/* Starts keeping time (from the constructor, when files are written). */
void schedule_start(void);

/* The snapshot signal arrived (async-signal-safe). */
void schedule_signal_asked(void);

/* CPU sampling started after load (the C API): the agent thread drains it. */
void schedule_cpu_started(void);

/* In a forked child: no agent thread, time kept afresh. */
void schedule_after_fork_child(void);

#endif
