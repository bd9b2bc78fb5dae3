/*
 * http_server.h — the `http` option's endpoint: Go's /debug/pprof/ served by
 * libmicrohttpd from a thread of the agent's own. The thread keeps the
 * reentrancy guard raised for its whole life and runs the library's event
 * loop itself (no thread of the library's), so no request, no allocation
 * of the server and no thread of it is ever counted in a profile.
 *
 * The thread is started at load (serving needs it, even in a program that
 * never starts one), binds the address, writes it to the output directory
 * as PROGRAM.PID.http and logs it with verbose=1. A failure to load the
 * library or to bind is one line, and the program runs on. The listening
 * socket is close-on-exec and lives far above the program's descriptors;
 * a forked child closes it and every connection of the parent's at once
 * and serves nothing.
 */
#ifndef PPROF_AGENT_HTTP_SERVER_H
#define PPROF_AGENT_HTTP_SERVER_H

/* Starts the thread when agent_opts.http is set (once). */
void http_server_start(void);

/* Stops serving and ends the thread (the program's last thread ends, or
 * the process exits); waits for it at most about a second. Async-signal-
 * unsafe; idempotent. */
void http_server_stop(void);

/* In a forked child: the parent's server thread does not exist here; its
 * descriptors are closed. Allocates nothing. */
void http_server_after_fork_child(void);

#endif
