/*
 * output_dir.h — the directory profiles are written into, opened by a
 * safe walk of its path at the start of each snapshot and closed at its
 * end: while a snapshot runs every file is made, renamed and removed
 * relative to the one descriptor (files.c), never by path, and between
 * snapshots the agent holds no descriptor at all (a program that lists or
 * closes its descriptors, or a child it forks, sees only its own).
 *
 * Opening walks the absolute path one component at a time from "/":
 *   - a missing component is made, mode 0700 (at the first opening only:
 *     a directory removed while the program runs is not made again, and
 *     the snapshots say once that they cannot write);
 *   - a symbolic link, on the way or at the end, is followed only when
 *     root or the effective user owns it (as the kernel's
 *     protected_symlinks does in sticky directories): one planted by
 *     another user in a shared directory cannot send the files of a
 *     program run by root into a directory of root's;
 *   - the directory itself must be owned by the effective user and, unless
 *     it is sticky, not writable by group or others.
 * The same rules hold at every opening, so swapping a component of the
 * path after the start gains nothing the start would not have allowed.
 * Any refusal is one line naming the directory and why.
 *
 * While open, the descriptor lives far above the program's own
 * (private_fd.h) and is checked before each use (same device and inode);
 * when the program has closed or reused its number meanwhile, the
 * directory is opened again the same way.
 */
#ifndef PPROF_AGENT_OUTPUT_DIR_H
#define PPROF_AGENT_OUTPUT_DIR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct output_dir {
	int fd;                /* -1 while not open */
	dev_t dev;
	ino_t ino;
	char path[4096];       /* absolute, for messages and reopening */
};

/* Opens path (absolute) as described above. Returns 0, or -1 with one line
 * in err. */
int output_dir_open(struct output_dir *d, const char *path, char *err, size_t errlen);

/* Makes sure d->fd is open and still the directory, (re)opening it by
 * d->path if not. 0, or -1 with one line in err. */
int output_dir_check(struct output_dir *d, char *err, size_t errlen);

/* Removes the temporary files that processes which no longer exist left
 * behind (killed while writing): ".PROGRAM.PID.KIND.SEQ.tmp". */
void output_dir_remove_stale(struct output_dir *d);

/* Whether profiles may be written: the file system has at least min_free
 * bytes free and the profiles in the directory (every *.pb.gz) take at
 * most max_size. 1, or 0 with one line in why. */
int output_dir_has_room(struct output_dir *d, int64_t min_free, int64_t max_size, char *why,
                        size_t whylen);

/* Closes the descriptor; d->path stays for output_dir_check. */
void output_dir_close(struct output_dir *d);

#endif
