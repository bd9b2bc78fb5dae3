/*
 * report_sys.h — the report's seams to the file system (jemalloc's
 * prof_dump_open_file / prof_dump_write_file idea): every open, write,
 * rename, unlink and close of a profile file, and the free-space query,
 * go through this table, so a unit test can fail any of them (a full disk,
 * a failed rename) and check that no partial file is left. Writable only under PPROF_AGENT_TESTING, as
 * the core's seams.
 */
#ifndef PPROF_AGENT_REPORT_SYS_H
#define PPROF_AGENT_REPORT_SYS_H

#include <stddef.h>
#include <sys/types.h>

#include "core_sys.h"

struct statvfs;

/* Paths are names relative to the output directory's descriptor. */
struct report_sys {
	int (*openat)(int dirfd, const char *name, int flags, mode_t mode);
	ssize_t (*write)(int fd, const void *buf, size_t len);
	int (*renameat)(int dirfd, const char *from, int todirfd, const char *to);
	int (*unlinkat)(int dirfd, const char *name, int flags);
	int (*close)(int fd);
	int (*fstatvfs)(int fd, struct statvfs *out);
};

extern SEAM_MUTABLE struct report_sys report_sys;

/* A profile_output (profile_builder.h) for the descriptor *(int *)fd:
 * writes all of bytes through report_sys.write, retrying short writes and
 * EINTR. Returns 0, or -1 with errno (EIO for a write that wrote nothing). */
int write_all(void *fd, const void *bytes, size_t len);

#endif
