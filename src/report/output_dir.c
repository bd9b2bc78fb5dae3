/*
 * output_dir.c — the output directory (see output_dir.h). Directory
 * listings are read with getdents64 into a buffer on the stack, so nothing
 * here allocates.
 */
#include "output_dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "private_fd.h"
#include "report_sys.h"

/* Writes "HEAD: WHY" into err, HEAD naming the directory as the opening
 * sees it (see open_walking). */
static int refuse(char *err, size_t len, const char *head, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int refuse(char *err, size_t len, const char *head, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	snprintf(err, len, "%s: %s", head, why);
	return -1;
}

/* The next component of the path at *p (moving *p past it) into name;
 * 0 when there is none. */
static int next_component(const char **p, char *name, size_t len)
{
	while (**p == '/')
		(*p)++;
	size_t n = strcspn(*p, "/");
	if (n == 0 || n >= len)
		return n == 0 ? 0 : -1;
	memcpy(name, *p, n);
	name[n] = '\0';
	*p += n;
	return 1;
}

/* Opens component name of the directory at parent, making it when
 * missing if make is set; a symbolic link is followed only when root or the effective
 * user owns it. Returns the new descriptor (parent is closed), or -1 with
 * err set. */
static int step_into(int parent, const char *name, int make, const char *head, char *err,
                     size_t len)
{
	struct stat st;
	int fd = private_fd_openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	if (fd < 0 && errno == ENOENT && make) {
		if (mkdirat(parent, name, 0700) != 0 && errno != EEXIST)
			goto fail;
		fd = private_fd_openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	}
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR) &&
	    fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
		if (st.st_uid != 0 && st.st_uid != geteuid())
			return close(parent), refuse(err, len, head,
			                             "\"%s\" is a symbolic link owned by another user", name);
		fd = private_fd_openat(parent, name, O_RDONLY | O_DIRECTORY, 0);
	}
	if (fd >= 0) {
		close(parent);
		return fd;
	}
fail:
	refuse(err, len, head, "%s", strerror(errno));
	close(parent);
	return -1;
}

/* The checks of the directory itself. */
static int check_owner_and_mode(int fd, const char *head, struct stat *st, char *err, size_t len)
{
	if (fstat(fd, st) != 0)
		return refuse(err, len, head, "%s", strerror(errno));
	if (st->st_uid != geteuid())
		return refuse(err, len, head, "it is owned by another user (uid %u)",
		              (unsigned)st->st_uid);
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX))
		return refuse(err, len, head, "others may write to it and it is not sticky");
	if (faccessat(fd, ".", W_OK | X_OK, AT_EACCESS) != 0)
		return refuse(err, len, head, "%s", strerror(errno));
	return 0;
}

/* Opens path by the walk above; make: the first opening, which makes
 * missing components and names an error as the option's; a later one
 * (output_dir_check) makes nothing and says it cannot write there. */
static int open_walking(struct output_dir *d, const char *path, int make, char *err,
                        size_t errlen)
{
	char name[256], head[sizeof d->path + 64];
	struct stat st;
	const char *p = path;
	d->fd = -1;
	snprintf(head, sizeof head,
	         make ? "option dir: cannot use \"%s\"" : "cannot write profiles to %s", path);
	if (path[0] != '/' || snprintf(d->path, sizeof d->path, "%s", path) >= (int)sizeof d->path)
		return refuse(err, errlen, head, "not an absolute path shorter than PATH_MAX");
	int fd = private_fd_open("/", O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return refuse(err, errlen, head, "%s", strerror(errno));
	for (;;) {
		int more = next_component(&p, name, sizeof name);
		if (more < 0) {
			close(fd);
			return refuse(err, errlen, head, "a component is longer than NAME_MAX");
		}
		if (more == 0)
			break;
		fd = step_into(fd, name, make, head, err, errlen);
		if (fd < 0)
			return -1;
	}
	if (check_owner_and_mode(fd, head, &st, err, errlen) != 0) {
		close(fd);
		return -1;
	}
	d->fd = fd;
	d->dev = st.st_dev;
	d->ino = st.st_ino;
	return 0;
}

int output_dir_open(struct output_dir *d, const char *path, char *err, size_t errlen)
{
	return open_walking(d, path, 1, err, errlen);
}

int output_dir_check(struct output_dir *d, char *err, size_t errlen)
{
	struct stat st;
	if (d->fd >= 0 && fstat(d->fd, &st) == 0 && st.st_dev == d->dev && st.st_ino == d->ino &&
	    S_ISDIR(st.st_mode))
		return 0;
	/* Closed, or not ours any more (the program closed or reused the
	 * number). A directory removed since the start is not made again:
	 * whoever removed it meant something by it. */
	d->fd = -1;
	char path[sizeof d->path];
	memcpy(path, d->path, sizeof path);
	return open_walking(d, path, 0, err, errlen);
}

/* Calls visit for every entry of the directory at fd. */
static void for_each_entry(int fd, void (*visit)(int fd, const char *name, void *arg), void *arg)
{
	char buf[8192] __attribute__((aligned(8)));
	if (lseek(fd, 0, SEEK_SET) != 0)
		return;
	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
		if (n <= 0)
			return;
		for (long off = 0; off < n;) {
			struct {
				ino64_t ino;
				off64_t off;
				unsigned short reclen;
				unsigned char type;
				char name[];
			} *e = (void *)(buf + off);
			visit(fd, e->name, arg);
			off += e->reclen;
		}
	}
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* ".PROGRAM.PID.KIND.SEQ.tmp": the PID, or 0 when name is not such a file. */
static pid_t temporary_owner(const char *name)
{
	if (name[0] != '.' || !ends_with(name, ".tmp"))
		return 0;
	/* from the end: tmp, SEQ, KIND, PID */
	const char *dots[4];
	int found = 0;
	for (const char *c = name + strlen(name) - 1; c > name && found < 4; c--)
		if (*c == '.')
			dots[found++] = c;
	if (found < 4)
		return 0;
	char *end;
	long pid = strtol(dots[3] + 1, &end, 10);
	return end == dots[2] && pid > 0 ? (pid_t)pid : 0;
}

static void remove_if_stale(int fd, const char *name, void *arg)
{
	(void)arg;
	pid_t pid = temporary_owner(name);
	if (pid > 0 && pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH)
		report_sys.unlinkat(fd, name, 0);
}

void output_dir_remove_stale(struct output_dir *d)
{
	if (d->fd >= 0)
		for_each_entry(d->fd, remove_if_stale, NULL);
}

static void add_profile_size(int fd, const char *name, void *arg)
{
	struct stat st;
	if (ends_with(name, ".pb.gz") && fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode))
		*(int64_t *)arg += (int64_t)st.st_size;
}

int output_dir_has_room(struct output_dir *d, int64_t min_free, int64_t max_size, char *why,
                        size_t whylen)
{
	struct statvfs vfs;
	if (min_free > 0 && report_sys.fstatvfs(d->fd, &vfs) == 0) {
		int64_t free_bytes = (int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize;
		if (free_bytes < min_free) {
			snprintf(why, whylen,
			         "not writing profiles to %s: its file system has %lld bytes free, less than "
			         "min_disk_free (%lld)",
			         d->path, (long long)free_bytes, (long long)min_free);
			return 0;
		}
	}
	int64_t used = 0;
	for_each_entry(d->fd, add_profile_size, &used);
	if (used > max_size) {
		snprintf(why, whylen,
		         "not writing profiles to %s: the profiles there take %lld bytes, more than "
		         "max_dir_size (%lld)",
		         d->path, (long long)used, (long long)max_size);
		return 0;
	}
	return 1;
}

void output_dir_close(struct output_dir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}
