/*
 * snapshot.h — snapshots: one file for each kind the kinds table says is
 * written, into the output directory, or one profile to a descriptor. Every
 * snapshot runs with the reentrancy guard raised and under the snapshot
 * lock (rank RANK_SNAPSHOT), so there is one at a time, whoever asks: the
 * agent thread, the exit handler or the C API.
 */
#ifndef PPROF_AGENT_SNAPSHOT_H
#define PPROF_AGENT_SNAPSHOT_H

/* Names the files after the program and this process (called again in a
 * forked child, which writes under its own pid). */
void snapshot_files_init(void);

/* Writes one file for every written kind now. Returns 0 or -1 with errno
 * of the first failure (ECANCELED once the final snapshot was taken). */
int snapshot_now(void);

/* Writes kind (a profile_kind) to fd, symbolized. Returns 0 or -1 with errno. */
int snapshot_write_kind(int kind, int fd);

/* The final snapshot, from atexit; later snapshots are refused. */
void snapshot_final(void);

/* Whether the final snapshot has been taken (the process is exiting). */
int snapshot_finished(void);

/* For fork: takes (releases) the snapshot lock. */
void snapshot_lock_all(void);
void snapshot_unlock_all(void);

#endif
