/*
 * log.c — see log.h.
 */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "process.h"

static void log_line(const char *fmt, va_list ap)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "pprof-agent: ");
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, len);
	(void)w;
}

void agent_log(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;
	va_start(ap, fmt);
	log_line(fmt, ap);
	va_end(ap);
	errno = saved;
}

void agent_debug(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;
	if (!agent_opts.verbose)
		return;
	va_start(ap, fmt);
	log_line(fmt, ap);
	va_end(ap);
	errno = saved;
}

/* Whether a pipe has room for len more bytes now (a write of up to
 * PIPE_BUF bytes is then whole and does not block). */
static int pipe_has_room(int fd, size_t len)
{
	int size = fcntl(fd, F_GETPIPE_SZ), queued = 0;
	return size > 0 && ioctl(fd, FIONREAD, &queued) == 0 && queued >= 0 &&
	       (size_t)(size - queued) >= len;
}

/* write(2) to a pipe with SIGPIPE held back: a pipe nobody reads any more
 * gives EPIPE, and the SIGPIPE it raised is taken back (unless one was
 * already pending). */
static void write_to_pipe(int fd, const char *line, size_t len)
{
	sigset_t pipe_only, old, pending;
	struct timespec none = { 0, 0 };
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	int was_pending = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE);
	if (pthread_sigmask(SIG_BLOCK, &pipe_only, &old) != 0)
		return;
	if (write(fd, line, len) < 0 && errno == EPIPE && !was_pending)
		sigtimedwait(&pipe_only, NULL, &none);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void write_ending_line(const char *line, size_t len)
{
	struct stat st;
	if (fstat(STDERR_FILENO, &st) != 0)
		return;
	if (S_ISSOCK(st.st_mode)) {
		ssize_t w = send(STDERR_FILENO, line, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		(void)w;
	} else if (S_ISFIFO(st.st_mode)) {
		if (pipe_has_room(STDERR_FILENO, len))
			write_to_pipe(STDERR_FILENO, line, len);
	} else {
		ssize_t w = write(STDERR_FILENO, line, len);
		(void)w;
	}
}

void agent_log_ending(const char *first, ...)
{
	static const char prefix[] = "pprof-agent: ";
	char line[1024];
	size_t len = sizeof prefix - 1;
	int saved = errno;
	va_list ap;
	memcpy(line, prefix, len);
	va_start(ap, first);
	for (const char *piece = first; piece; piece = va_arg(ap, const char *))
		for (; *piece && len < sizeof line - 1; piece++)
			line[len++] = (unsigned char)*piece < 0x20 || *piece == 0x7f ? '?' : *piece;
	va_end(ap);
	line[len++] = '\n';
	write_ending_line(line, len);
	errno = saved;
}
