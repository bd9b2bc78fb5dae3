/*
 * process.h — the state the runtime keeps for the whole process: the
 * options in force and where and whether files are written. Written by the
 * constructor (and, in a forked child, by the fork handler) before any other
 * thread of the agent exists; read everywhere after.
 */
#ifndef PPROF_AGENT_PROCESS_H
#define PPROF_AGENT_PROCESS_H

#include "options.h"

/* The options parsed at load time. The C API's setters change the core's
 * rates, never these. */
extern struct agent_options agent_opts;

/* Whether this process writes files on its own (interval, signal, exit):
 * PPROF_AGENT was set or the library was preloaded. A program that merely
 * links the library writes only when it calls the API. */
extern int agent_writes_files;

/* Set when the process runs in secure-execution mode (setuid, setgid, file
 * capabilities: AT_SECURE): the agent is then inert, whoever loaded it. */
extern int agent_secure;

#endif
