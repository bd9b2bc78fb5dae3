/*
 * agent_sys.h — the agent's seams to the operating system (jemalloc's
 * prof_sys.c idea): file output and the clock go through these pointers so
 * tests can inject failures (a full disk, a failed rename) and time. The
 * production values are the plain libc calls.
 */
#ifndef PPROF_AGENT_SYS_H
#define PPROF_AGENT_SYS_H

#include <stdint.h>
#include <sys/types.h>

extern int (*agent_sys_open)(const char *path, int flags, mode_t mode);
extern ssize_t (*agent_sys_write)(int fd, const void *buf, size_t len);
extern int (*agent_sys_rename)(const char *from, const char *to);
extern int (*agent_sys_unlink)(const char *path);
extern int (*agent_sys_close)(int fd);
extern int64_t (*agent_sys_nanotime)(void);   /* CLOCK_MONOTONIC, ns */
extern int64_t (*agent_sys_walltime)(void);   /* CLOCK_REALTIME, ns since the epoch */

#endif
