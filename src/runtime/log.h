/*
 * log.h — the agent's only voice: one line to stderr, prefixed
 * "pprof-agent: ", written with a single write(2) and without allocating,
 * errno left as it was.
 */
#ifndef PPROF_AGENT_LOG_H
#define PPROF_AGENT_LOG_H

void agent_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, only when verbose=1. */
void agent_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The same for a process that is ending, from a signal handler or _exit:
 * the line is the strings given, up to a NULL, without formatting
 * (control characters shown as '?'), and is async-signal-safe. It never
 * blocks on a pipe with no room (it is then left unsaid) and never raises
 * SIGPIPE: a program that ends must end as it would without the agent. */
void agent_log_ending(const char *first, ...) __attribute__((sentinel));

#endif
