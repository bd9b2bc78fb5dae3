/*
 * fork.h — the fork protocol (fork.c).
 */
#ifndef PPROF_AGENT_FORK_H
#define PPROF_AGENT_FORK_H

/* Registers the atfork handlers (once, from the constructor). */
void fork_protocol_install(void);

#endif
