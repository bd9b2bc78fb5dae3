/*
 * private_fd.c — see private_fd.h.
 */
#include "private_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* The lowest number the agent's descriptors take. */
static int high_floor(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > (1u << 30))
		return 1 << 20;
	return (int)(rl.rlim_cur - rl.rlim_cur / 4);
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* The program may close fd under us (closefrom in another thread) and get
 * the number back for a file of its own before fd is moved: fd is closed
 * only while it is still the file that was opened (*opened), and a copy of
 * anything else is dropped (-1, EBADF), the program's number untouched. */
static int move_checked(int fd, const struct stat *opened)
{
	struct stat now;
	int saved = errno;
	int high = fcntl(fd, F_DUPFD_CLOEXEC, high_floor());
	if (high < 0) {
		if (errno == EBADF)
			return -1;
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		errno = saved;
		return fd;
	}
	if (fstat(high, &now) != 0 || !same_file(&now, opened)) {
		close(high);
		errno = EBADF;
		return -1;
	}
	if (fstat(fd, &now) == 0 && same_file(&now, opened))
		close(fd);
	errno = saved;
	return high;
}

int private_fd_move(int fd)
{
	struct stat opened;
	if (fd < 0)
		return -1;
	if (fstat(fd, &opened) != 0)
		return -1;
	return move_checked(fd, &opened);
}

int private_fd_openat(int dirfd, const char *path, int flags, int mode)
{
	struct stat opened;
	int fd = openat(dirfd, path, flags | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	/* what the path names now is what was opened (unless the program
	 * swapped the number already, which move_checked then sees) */
	if (fstatat(dirfd, path, &opened, (flags & O_NOFOLLOW) ? AT_SYMLINK_NOFOLLOW : 0) != 0)
		return private_fd_move(fd);
	return move_checked(fd, &opened);
}

int private_fd_open(const char *path, int flags)
{
	return private_fd_openat(AT_FDCWD, path, flags, 0);
}
