/*
 * private_fd.h — the descriptors the agent opens for itself. A program may
 * close every descriptor from 3 up and reuse the numbers (servers do, and
 * so does Python's subprocess), so a descriptor the agent holds in that
 * range can be closed under it, or, worse, read or closed by it after the
 * program has reused its number. The agent's descriptors therefore live far
 * above the numbers a program uses (three quarters of the way to its
 * RLIMIT_NOFILE), close-on-exec, and only for as long as they are needed.
 * Moving one there leaves a moment when it has its low number: should the
 * program close it and get the number back for a file of its own, the
 * agent notices (the file is not the one it opened) and leaves that
 * number alone.
 */
#ifndef PPROF_AGENT_PRIVATE_FD_H
#define PPROF_AGENT_PRIVATE_FD_H

/* open(path, flags | O_CLOEXEC), moved high. Returns the fd, or -1 with
 * errno. */
int private_fd_open(const char *path, int flags);

/* openat, likewise (dirfd may be AT_FDCWD). */
int private_fd_openat(int dirfd, const char *path, int flags, int mode);

/* Moves fd high (closing fd) and returns the new number; when no higher
 * number is free, fd itself, made close-on-exec. -1 when fd is -1 or is
 * no longer the file it was (see above). */
int private_fd_move(int fd);

#endif
