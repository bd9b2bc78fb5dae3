/*
 * text_out.h — formatted text going out through a profile_output (a
 * descriptor, an HTTP body, a caller's buffer), buffered in fixed memory:
 * what Go's text forms are written with. The first failure of the output
 * is kept and everything after it dropped.
 */
#ifndef PPROF_AGENT_TEXT_OUT_H
#define PPROF_AGENT_TEXT_OUT_H

#include <stddef.h>

#include "profile_builder.h"

struct text_out {
	profile_output output;
	void *ctx;
	int failed, err;
	size_t len;
	char buf[8192];
};

void text_out_init(struct text_out *t, profile_output output, void *ctx);

void text_printf(struct text_out *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void text_put(struct text_out *t, const char *s, size_t len);

/* Writes s with Go's %q quoting ("...", with \" \\ and \xNN escapes). */
void text_quoted(struct text_out *t, const char *s);

/* Sends what is buffered. Returns 0, or -1 with errno of the first failure. */
int text_out_finish(struct text_out *t);

#endif
