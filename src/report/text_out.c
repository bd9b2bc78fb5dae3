/*
 * text_out.c — buffered formatted text to a profile_output (see text_out.h).
 */
#include "text_out.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Formats straight into the buffer's free room; a line that does not fit
 * goes into an emptied buffer, or, longer than the buffer (a long C++
 * name), through memory of its own. */
void text_printf(struct text_out *t, const char *fmt, ...)
{
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	size_t room = sizeof t->buf - t->len;
	int n = vsnprintf(t->buf + t->len, room, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < room) {
		t->len += (size_t)n;
	} else if (n > 0 && (size_t)n < sizeof t->buf) {
		flush(t);
		t->len = (size_t)vsnprintf(t->buf, sizeof t->buf, fmt, again);
	} else if (n > 0) {
		char *line = malloc((size_t)n + 1);
		if (line) {
			vsnprintf(line, (size_t)n + 1, fmt, again);
			text_put(t, line, (size_t)n);
			free(line);
		} else if (!t->failed) {
			t->failed = 1;
			t->err = ENOMEM;
		}
	}
	va_end(again);
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
