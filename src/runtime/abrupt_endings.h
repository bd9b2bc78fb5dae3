/*
 * abrupt_endings.h — the endings that skip the final snapshot: _exit and
 * _Exit (exit_notice.h), abort and the fatal signals SIGSEGV, SIGBUS,
 * SIGILL, SIGFPE and SIGABRT. Each says one line, when this process had a
 * final profile to come:
 *
 *   pprof-agent: PROGRAM[PID] ended by SIGSEGV: no final profile was
 *   written; the last one is DIR/PROGRAM.PID.heap.0003.pb.gz
 *
 * (or "...: no profile was written" before the first), and changes nothing
 * else: same status, same core dump. A fatal signal's handler is installed
 * only where the program left the default action (a handler of the
 * program's, SIG_IGN, or a sanitizer's, installed first, are left alone),
 * and is given up to any handler the program installs later (the
 * sigaction hook shows the default action meanwhile, signal_claims.h).
 * docs/endings.md says why no profile is written at these endings.
 */
#ifndef PPROF_AGENT_ABRUPT_ENDINGS_H
#define PPROF_AGENT_ABRUPT_ENDINGS_H

/* Installs the fatal signals' handler where they are at their default
 * action, and the runtime's _exit handler. */
void abrupt_endings_install(void);

#endif
