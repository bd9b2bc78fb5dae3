/*
 * log.c — see log.h.
 */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
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
