/*
 * report_sys.h — the report's seams to the file system (jemalloc's
 * prof_dump_open_file / prof_dump_write_file idea): every open, write,
 * rename, unlink and close of a profile file goes through this table, so a
 * unit test can fail any of them (a full disk, a failed rename) and check
 * that no partial file is left. Writable only under PPROF_AGENT_TESTING, as
 * the core's seams.
 */
#ifndef PPROF_AGENT_REPORT_SYS_H
#define PPROF_AGENT_REPORT_SYS_H

#include <stddef.h>
#include <sys/types.h>

#include "core_sys.h"

struct report_sys {
	int (*open)(const char *path, int flags, mode_t mode);
	ssize_t (*write)(int fd, const void *buf, size_t len);
	int (*rename)(const char *from, const char *to);
	int (*unlink)(const char *path);
	int (*close)(int fd);
};

extern SEAM_MUTABLE struct report_sys report_sys;

/* A profile_output (profile_builder.h) for the descriptor *(int *)fd:
 * writes all of bytes through report_sys.write, retrying short writes and
 * EINTR. Returns 0, or -1 with errno (EIO for a write that wrote nothing). */
int write_all(void *fd, const void *bytes, size_t len);

#endif
