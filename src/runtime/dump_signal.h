/*
 * dump_signal.h — the `dump_signal` option: a signal (SIGQUIT, say, as the
 * JVM uses it) on which the agent writes the debug=2 text of every thread
 * (thread_dump.c) to DIR/PROGRAM.PID.threads.NNNN.txt, without stopping the
 * program. The handler only asks; the agent thread (started at load when
 * the option is set) takes the threads and writes the file, never
 * interrupting one of them.
 *
 * The signal is claimed (signal_claims.h) only where the program left it at
 * its default action: the program is shown the default action meanwhile,
 * and a handler it installs, before or after, wins. Either is said in one
 * line.
 */
#ifndef PPROF_AGENT_DUMP_SIGNAL_H
#define PPROF_AGENT_DUMP_SIGNAL_H

/* Claims sig for thread dumps (after one line when the program handles or
 * ignores it: then there are none). */
void dump_signal_install(int sig);

/* For the agent thread after each wake: writes a thread dump when the
 * signal asked for one (returns 1 then, 0 otherwise). */
int dump_signal_serve(void);

/* Says once, in one line, when the program has since taken the signal
 * over (called at each snapshot). */
void dump_signal_check(void);

#endif
