/*
 * report_sys.c — the production values of the report's seams (plain libc
 * calls) and write_all, through which every byte of a profile reaches a
 * descriptor.
 */
#include "report_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "private_fd.h"

/* openat(2) is variadic, so it needs a wrapper of the seam's fixed type;
 * the descriptor is the agent's own, far above the program's. */
static int open_private(int dirfd, const char *name, int flags, mode_t mode)
{
	return private_fd_openat(dirfd, name, flags, (int)mode);
}

SEAM_MUTABLE struct report_sys report_sys = {
	.openat = open_private,
	.write = write,
	.renameat = renameat,
	.unlinkat = unlinkat,
	.close = close,
	.fstatvfs = fstatvfs,
};

int write_all(void *fd, const void *bytes, size_t len)
{
	const unsigned char *p = bytes;
	while (len > 0) {
		ssize_t n = report_sys.write(*(int *)fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
