/*
 * private_fd.c — see private_fd.h.
 */
#include "private_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
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

int private_fd_move(int fd)
{
	if (fd < 0)
		return -1;
	int saved = errno;
	int high = fcntl(fd, F_DUPFD_CLOEXEC, high_floor());
	if (high < 0) {
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		errno = saved;
		return fd;
	}
	close(fd);
	errno = saved;
	return high;
}

int private_fd_open(const char *path, int flags)
{
	return private_fd_move(open(path, flags | O_CLOEXEC));
}

int private_fd_openat(int dirfd, const char *path, int flags, int mode)
{
	return private_fd_move(openat(dirfd, path, flags | O_CLOEXEC, mode));
}
