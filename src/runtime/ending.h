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

#include "signal_claims.h"

/* Claims SIGTERM and SIGINT where they are at their default action. */
void ending_install(void);

/* Whether the code a signal handler interrupted (context, the ucontext_t
 * the kernel saved) may be left waiting while the handler writes a
 * snapshot: it was in the program's own code, or asleep in a system call,
 * not in the C library, the loader, the allocator or the agent at work. For
 * unwind_signal_frames (arg unused). */
int ending_interrupted_safely(const void *context, void *arg);

/* Claims sig for handler (installed with SA_SIGINFO, the flags given and
 * every signal blocked while it runs) when sig is at its default action:
 * not over a handler of the program's, nor over SIG_IGN. */
void ending_claim(int sig, signal_claim_handler handler, int flags);

/* For the agent thread after each wake: when an ending signal asked for
 * the final snapshot, writes it and lets the handler end the process. */
void ending_serve(void);

#endif
