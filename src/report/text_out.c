/*
 * text_out.c — buffered formatted text to a profile_output (see text_out.h).
 */
#include "text_out.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void text_out_init(struct text_out *t, profile_output output, void *ctx)
{
	t->output = output;
	t->ctx = ctx;
	t->failed = 0;
	t->err = 0;
	t->len = 0;
}

static void flush(struct text_out *t)
{
	if (t->len && !t->failed && t->output(t->ctx, t->buf, t->len) != 0) {
		t->failed = 1;
		t->err = errno ? errno : EIO;
	}
	t->len = 0;
}

void text_put(struct text_out *t, const char *s, size_t len)
{
	while (len > 0 && !t->failed) {
		if (t->len == sizeof t->buf)
			flush(t);
		size_t n = sizeof t->buf - t->len < len ? sizeof t->buf - t->len : len;
		memcpy(t->buf + t->len, s, n);
		t->len += n;
		s += n;
		len -= n;
	}
}

/* Formats straight into the buffer, which keeps room for a line of up to
 * TEXT_LINE_MAX bytes (a longer one is cut there). */
#define TEXT_LINE_MAX 1024

void text_printf(struct text_out *t, const char *fmt, ...)
{
	va_list ap;
	if (sizeof t->buf - t->len < TEXT_LINE_MAX)
		flush(t);
	size_t room = sizeof t->buf - t->len;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, room, fmt, ap);
	va_end(ap);
	if (n > 0 && !t->failed)
		t->len += (size_t)n < room ? (size_t)n : room - 1;
}

void text_quoted(struct text_out *t, const char *s)
{
	text_put(t, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			text_printf(t, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			text_printf(t, "\\x%02x", c);
		else
			text_put(t, (const char *)&c, 1);
	}
	text_put(t, "\"", 1);
}

int text_out_finish(struct text_out *t)
{
	flush(t);
	if (t->failed) {
		errno = t->err;
		return -1;
	}
	return 0;
}
