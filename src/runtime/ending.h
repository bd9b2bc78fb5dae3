/*
 * ending.h — SIGTERM and SIGINT (how containers, service managers and
 * terminals stop programs) end the process with its final profile written:
 * when the program has left a signal at its default action, the agent's
 * handler writes the final snapshot and then ends the process by the same
 * signal, with the default action (so the parent sees the same status). A
 * program that installs its own handler gets the signal, as without the
 * agent (src/hooks/signal_hooks.c shows it the default action meanwhile).
 *
 * Who writes the snapshot: the agent's thread when it runs (the handler
 * wakes it and waits at most ENDING_WAIT_MS); otherwise the handler itself,
 * but only where that cannot deadlock: the signal interrupted the
 * program's own code, or a system call asleep in the kernel, and not the
 * agent, the C library, the loader or the allocator at work. Otherwise no
 * final profile is written (verbose=1 says so: the signal alone ends a
 * program silently, and programs check that). A second signal while the
 * snapshot is written ends the process at once.
 */
#ifndef PPROF_AGENT_ENDING_H
#define PPROF_AGENT_ENDING_H

#define ENDING_WAIT_MS 10000

/* Claims SIGTERM and SIGINT where they are at their default action. */
void ending_install(void);

/* For the agent thread after each wake: when an ending signal asked for
 * the final snapshot, writes it and lets the handler end the process. */
void ending_serve(void);

#endif
