/*
 * snapshot_signal.h — the `signal` option: a signal that asks for an
 * immediate snapshot. Its handler only wakes the agent thread.
 */
#ifndef PPROF_AGENT_SNAPSHOT_SIGNAL_H
#define PPROF_AGENT_SNAPSHOT_SIGNAL_H

/* Installs the handler for sig (after one line on stderr when it cannot). */
void snapshot_signal_install(int sig);

#endif
