/*
 * agent_thread.h — the agent thread and snapshots. The thread wakes every
 * `interval` (or when asked: the snapshot signal, the API) and writes one
 * file per enabled kind; the exit handler writes the final snapshot. All
 * snapshots are serialized by one mutex and run with the guard raised.
 */
#ifndef PPROF_AGENT_AGENT_THREAD_H
#define PPROF_AGENT_AGENT_THREAD_H

#include <stdint.h>

/* Starts the thread (files are written to agent_opts.dir). Returns 0 or -1. */
int agent_thread_start(void);

/* Writes one file for every enabled kind now. Returns 0 or -1 with errno
 * of the first failure. */
int agent_snapshot_now(void);

/* Async-signal-safe: wakes the agent thread for an immediate snapshot. */
void agent_request_snapshot(void);

/* Writes kind (a profile_kind) to fd, symbolized. Returns 0 or -1 with errno. */
int agent_write_kind(int kind, int fd);

/* The final snapshot, from atexit; later snapshots are refused. */
void agent_final_snapshot(void);

/* Creates the symbolizer (from the constructor, so that a library
 * dlclose'd before the first snapshot can already be retained). */
void agent_symbolizer_init(void);

/* From the dlclose hook: keeps the symbols of a module that is about to be
 * unloaded, so that the samples taken in it still symbolize. */
void agent_retain_module(const char *path, uint64_t load_bias);

/* fork(): prepare holds every agent lock; parent releases them; child
 * releases them, takes its own pid and restarts the thread. */
void agent_fork_prepare(void);
void agent_fork_parent(void);
void agent_fork_child(void);

#endif
