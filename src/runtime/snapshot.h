/*
 * snapshot.h — snapshots: one file for each kind the kinds table says is
 * written, into the output directory, or one profile to a descriptor. Every
 * snapshot runs with the reentrancy guard raised and under the snapshot
 * lock (rank RANK_SNAPSHOT), so there is one at a time, whoever asks: the
 * agent thread, the exit handler or the C API.
 */
#ifndef PPROF_AGENT_SNAPSHOT_H
#define PPROF_AGENT_SNAPSHOT_H

#include <stddef.h>

#include "files.h"
#include "profile_builder.h"
#include "symbolize.h"

/* Checks the output directory the first time (opening and closing it:
 * output_dir.h; each snapshot opens it again) and names the files after
 * the program and this process (called again in a forked child, which
 * writes under its own pid). Returns 0, or -1 with one line in err. */
int snapshot_files_init(char *err, size_t errlen);

/* Makes the symbolizer, which loads libdw (called by the constructor, before
 * the program's main: docs/isolation.md says why then). */
void snapshot_symbolizer_init(void);

/* Writes one file for every written kind now. Returns 0 or -1 with errno
 * of the first failure (ECANCELED once the final snapshot was taken). */
int snapshot_now(void);

/* Writes kind (a profile_kind) to fd, symbolized. Returns 0 or -1 with errno. */
int snapshot_write_kind(int kind, int fd);

/* The same through output (profile_builder.h). */
int snapshot_write_kind_to(int kind, profile_output output, void *ctx);

/* Writes Go's text form of kind at level debug (> 0; text_forms.h) through
 * output. Returns 0 or -1 with errno (EINVAL: the kind has no text form). */
int snapshot_write_text(int kind, int debug, profile_output output, void *ctx);

/* Writes the debug=2 text of every thread (the calling one's first), or of
 * the calling thread alone with self_only, through output: runtime.Stack.
 * Returns 0 or -1 with errno. */
int snapshot_write_stacks(int self_only, profile_output output, void *ctx);

/* Calls use with the snapshots' symbolizer, refreshed, under the snapshot
 * lock (so never beside a snapshot). Returns 0, or -1 when no symbolizer
 * could be made. */
int snapshot_with_symbolizer(void (*use)(symbolizer *sym, void *arg), void *arg);

/* Writes the file "PROGRAM.PID.SUFFIX" into the output directory through
 * writer (files.h), as profile files are written. 0, or -1 with errno. */
int snapshot_write_named(const char *suffix, dump_writer writer, void *arg);

/* Writes the debug=2 text of every thread to the file
 * "PROGRAM.PID.threads.NNNN.txt" (NNNN from 0001) in the output directory.
 * 0, or -1 with errno. */
int snapshot_write_thread_dump(void);

/* The final snapshot, from atexit; later snapshots are refused. */
void snapshot_final(void);

/* Files the CPU samples taken since the last drain (between snapshots, so
 * the kernel's buffers do not fill). */
void snapshot_drain_cpu(void);

/* pprof_start_cpu_profile: starts counting the C API's cpu profile (and
 * sampling, at cpu_hz or 100, when it was off); -1 with EBUSY when one is
 * counted already, EOPNOTSUPP when the kernel refuses. */
int snapshot_cpu_api_begin(void);
/* pprof_stop_cpu_profile: writes it to fd and stops it (and the sampling it
 * started); 0 when none was counted. */
int snapshot_cpu_api_end(int fd);
/* The same through output (NULL: stops it and writes nothing). */
int snapshot_cpu_api_end_to(profile_output output, void *ctx);

/* Writes the profile of what happened since from (a copy of a kind's
 * counters, delta.h) through output, symbolized, taking the end's copy
 * under the snapshot lock; what names who asked, in its comments. 0 or
 * -1 with errno. */
struct counts_copy;
int snapshot_write_delta_to(const struct counts_copy *from, const char *what,
                            profile_output output, void *ctx);

/* Whether the final snapshot has been taken (the process is exiting). */
int snapshot_finished(void);

/* Whether this process (not a vfork child of it) still has its final
 * snapshot to come, and it would write a file. Async-signal-safe: it takes
 * no lock, so it may be one event behind a snapshot under way. */
int snapshot_final_pending(void);

/* The path of the last profile file this process wrote, or NULL.
 * Async-signal-safe. */
const char *snapshot_last_file(void);

/* In a forked child: the snapshot lock starts free (the thread that held
 * it may not exist here), and a symbolizer a parent's thread was using in
 * the middle of a snapshot is left alone and a new one made when needed. */
void snapshot_after_fork_child(void);

#endif
