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

#endif
