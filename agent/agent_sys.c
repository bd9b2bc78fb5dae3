/*
 * agent_sys.c — the production values of the seams declared in agent_sys.h:
 * plain libc calls for file output and clock_gettime for the two clocks.
 * Tests replace these pointers to inject a failed open, a full disk or a
 * failed rename; nothing else in the agent ever assigns them.
 */
#include <config.h>

#include "agent_sys.h"

#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* open(2) is variadic, so it needs a wrapper of the seam's fixed type. */
static int open_file(const char *path, int flags, mode_t mode)
{
	return open(path, flags, mode);
}

static int64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t monotonic_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static int64_t realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

int (*agent_sys_open)(const char *path, int flags, mode_t mode) = open_file;
ssize_t (*agent_sys_write)(int fd, const void *buf, size_t len) = write;
int (*agent_sys_rename)(const char *from, const char *to) = rename;
int (*agent_sys_unlink)(const char *path) = unlink;
int (*agent_sys_close)(int fd) = close;
int64_t (*agent_sys_nanotime)(void) = monotonic_ns;
int64_t (*agent_sys_walltime)(void) = realtime_ns;
