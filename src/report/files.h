/*
 * files.h — everything about profile files on disk: their names
 * (DIR/PROGRAM.PID.KIND.SEQ.pb.gz, SEQ from 0001 per kind), writing them
 * atomically (a temporary name in DIR, fsync-free write, rename into place,
 * mode 0600) and keeping only the newest `keep` files per kind and process.
 * Every system call goes through the seams in report_sys.h so tests can
 * fail an open, a write or a rename and check that nothing partial is left.
 */
#ifndef PPROF_AGENT_FILES_H
#define PPROF_AGENT_FILES_H

#include <stddef.h>
#include <sys/types.h>

#include "kinds.h"

/* A program name longer than this is shortened in file names (the pid
 * and kind always fit a file name). */
#define PROGRAM_NAME_MAX 128

struct dump_dir {
	int dirfd;           /* the output directory (output_dir.h) */
	char dir[4096];      /* its path, for messages */
	char program[PROGRAM_NAME_MAX + 1];   /* basename of the executable */
	pid_t pid;
	int keep;
	unsigned seq[KIND_COUNT];   /* next sequence number per kind */
};

/* The writer callback fills the open descriptor; returns 0 or -1 with errno. */
typedef int (*dump_writer)(int fd, void *arg);

void dump_dir_init(struct dump_dir *d, int dirfd, const char *dir, const char *program, pid_t pid,
                   int keep);

/* Writes one file of kind (slot, a profile_kind, indexes seq[]; kind is
 * its name), through a
 * temporary file renamed into place, then removes older files of that kind
 * beyond keep. On success copies the final path into path_out (if not NULL)
 * and returns 0; on failure returns -1 with errno, leaving no partial file.
 * Every name is relative to d->dirfd. */
int dump_write(struct dump_dir *d, int slot, const char *kind, dump_writer writer, void *arg,
               char *path_out, size_t path_len);

/* Writes "PROGRAM.PID.SUFFIX" (no sequence number, no keep limit) the same
 * way: through a temporary renamed into place. 0, or -1 with errno. */
int dump_write_named(struct dump_dir *d, const char *suffix, dump_writer writer, void *arg,
                     char *path_out, size_t path_len);

/* Whether a file of kind slot has been written by this process. */
int dump_has_written(const struct dump_dir *d, int slot);

#endif
