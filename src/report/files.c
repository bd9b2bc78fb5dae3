/*
 * files.c — profile files on disk. The agent thread calls dump_write()
 * with a writer callback (the encoder) once per kind per snapshot; this file
 * decides the name, makes the write atomic and applies the `keep` limit.
 *
 * A file is born under a hidden temporary name in the same directory,
 * ".PROGRAM.PID.KIND.SEQ.tmp", so a reader listing DIR for "*.pb.gz" never
 * sees it half written; rename(2) within one directory then publishes it as
 * "PROGRAM.PID.KIND.SEQ.pb.gz" in one step. Any failure unlinks the
 * temporary file and leaves the sequence number unused, so the next attempt
 * reuses it and the published numbers have no gaps.
 *
 * Every system call goes through the report_sys seams, and nothing here
 * allocates: names are built in stack buffers.
 */
#include "files.h"

#include "report_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#define SLOT_COUNT (sizeof(((struct dump_dir *)0)->seq) / sizeof(unsigned))

enum file_stage { TEMPORARY, PUBLISHED };

void dump_dir_init(struct dump_dir *d, int dirfd, const char *dir, const char *program, pid_t pid,
                   int keep)
{
	const char *slash = strrchr(program, '/');
	size_t i;

	memset(d, 0, sizeof *d);
	d->dirfd = dirfd;
	snprintf(d->dir, sizeof d->dir, "%s", dir);
	snprintf(d->program, sizeof d->program, "%s", slash != NULL ? slash + 1 : program);
	d->pid = pid;
	d->keep = keep >= 1 ? keep : 1;
	for (i = 0; i < SLOT_COUNT; i++)
		d->seq[i] = 1;
}

/* The name of file seq of kind at the given stage; -1 with ENAMETOOLONG if
 * it does not fit. */
static int file_path(const struct dump_dir *d, const char *kind, unsigned seq, enum file_stage stage,
                     char *path, size_t len)
{
	int n;

	if (stage == TEMPORARY)
		n = snprintf(path, len, ".%s.%d.%s.%04u.tmp", d->program, (int)d->pid, kind, seq);
	else
		n = snprintf(path, len, "%s.%d.%s.%04u.pb.gz", d->program, (int)d->pid, kind, seq);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* Unlinks a temporary file after a failure; returns -1 with the failure's errno. */
static int discard(const struct dump_dir *d, const char *tmp)
{
	int saved = errno;

	report_sys.unlinkat(d->dirfd, tmp, 0);
	errno = saved;
	return -1;
}

/* Creates tmp (mode 0600), lets the writer fill it, and closes it. A file
 * already under that name can only be the leftover of a killed process that
 * had our pid, so it is removed first rather than failing O_EXCL forever. */
static int write_temporary(const struct dump_dir *d, const char *tmp, dump_writer writer,
                           void *arg)
{
	int fd, saved;

	report_sys.unlinkat(d->dirfd, tmp, 0);
	fd = report_sys.openat(d->dirfd, tmp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	if (writer(fd, arg) != 0) {
		saved = errno;
		report_sys.close(fd);
		errno = saved;
		return discard(d, tmp);
	}
	if (report_sys.close(fd) != 0)
		return discard(d, tmp);
	return 0;
}

/*
 * Keeps the newest `keep` files of this program, pid and kind: after file
 * seq is published, seq - keep falls out of the window. Names are built, not
 * listed, so only our own files can be touched and no directory stream (and
 * its malloc) is needed. Walking down until a name is already gone also
 * removes files a failed unlink left behind earlier.
 */
static void remove_old_files(const struct dump_dir *d, const char *kind, unsigned seq)
{
	char path[PATH_MAX];
	unsigned old;

	if (seq <= (unsigned)d->keep)
		return;
	for (old = seq - (unsigned)d->keep; old >= 1; old--) {
		if (file_path(d, kind, old, PUBLISHED, path, sizeof path) != 0 ||
		    report_sys.unlinkat(d->dirfd, path, 0) != 0)
			return;
	}
}

static int is_valid_kind(int slot, const char *kind)
{
	return slot >= 0 && (size_t)slot < SLOT_COUNT && kind != NULL && *kind != '\0' &&
	       strchr(kind, '/') == NULL;
}

int dump_write(struct dump_dir *d, int slot, const char *kind, dump_writer writer, void *arg,
               char *path_out, size_t path_len)
{
	char tmp[PATH_MAX], published[PATH_MAX];
	unsigned seq;

	if (!is_valid_kind(slot, kind)) {
		errno = EINVAL;
		return -1;
	}
	seq = d->seq[slot];
	if (file_path(d, kind, seq, TEMPORARY, tmp, sizeof tmp) != 0 ||
	    file_path(d, kind, seq, PUBLISHED, published, sizeof published) != 0)
		return -1;
	if (write_temporary(d, tmp, writer, arg) != 0)
		return -1;
	if (report_sys.renameat(d->dirfd, tmp, d->dirfd, published) != 0)
		return discard(d, tmp);
	d->seq[slot] = seq + 1;
	remove_old_files(d, kind, seq);
	if (path_out != NULL && path_len > 0)
		snprintf(path_out, path_len, "%s/%s", d->dir, published);
	return 0;
}

int dump_write_named(struct dump_dir *d, const char *suffix, dump_writer writer, void *arg,
                     char *path_out, size_t path_len)
{
	char tmp[PATH_MAX], published[PATH_MAX];
	int a = snprintf(tmp, sizeof tmp, ".%s.%d.%s.tmp", d->program, (int)d->pid, suffix);
	int b = snprintf(published, sizeof published, "%s.%d.%s", d->program, (int)d->pid, suffix);

	if (strchr(suffix, '/') != NULL || *suffix == '\0') {
		errno = EINVAL;
		return -1;
	}
	if (a < 0 || (size_t)a >= sizeof tmp || b < 0 || (size_t)b >= sizeof published) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (write_temporary(d, tmp, writer, arg) != 0)
		return -1;
	if (report_sys.renameat(d->dirfd, tmp, d->dirfd, published) != 0)
		return discard(d, tmp);
	if (path_out != NULL && path_len > 0)
		snprintf(path_out, path_len, "%s/%s", d->dir, published);
	return 0;
}

int dump_has_written(const struct dump_dir *d, int slot)
{
	return slot >= 0 && (size_t)slot < SLOT_COUNT && d->seq[slot] > 1;
}
