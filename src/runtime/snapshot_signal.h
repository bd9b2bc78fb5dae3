/*
 * snapshot_signal.h — the `signal` option: a signal that asks for an
 * immediate snapshot. Its handler only wakes the agent thread.
 */
#ifndef PPROF_AGENT_SNAPSHOT_SIGNAL_H
#define PPROF_AGENT_SNAPSHOT_SIGNAL_H

/* Installs the handler for sig (after one line on stderr when it cannot,
 * or when the program already handles sig: its handler is left alone). */
void snapshot_signal_install(int sig);

/* Says once, in one line, when the program has since put its own handler
 * in place of the agent's (called at each snapshot). */
void snapshot_signal_check(void);

#endif
