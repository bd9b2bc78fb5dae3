/*
 * http_pages.c — the pages of the /debug/pprof/ endpoint (see
 * http_pages.h). A profile is built by the code that writes the periodic
 * files (snapshot_write_kind_to), under the same snapshot lock, so a
 * request waits for a periodic snapshot and never runs beside one.
 */
#include "http_pages.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kinds.h"
#include "runtime.h"
#include "snapshot.h"

#define PREFIX "/debug/pprof/"
#define TEXT_PLAIN "text/plain; charset=utf-8"
#define MAX_SYMBOL_ADDRESSES 100000

/* A growing body. */
struct body {
	char *p;
	size_t len, cap;
	int failed;
};

static int body_add(void *ctx, const void *bytes, size_t len)
{
	struct body *b = ctx;
	if (b->failed)
		return -1;
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + len + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			errno = ENOMEM;
			return -1;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, bytes, len);
	b->len += len;
	b->p[b->len] = '\0';
	return 0;
}

static void body_printf(struct body *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void body_printf(struct body *b, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > 0)
		body_add(b, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void reply_body(struct http_reply *r, struct body *b)
{
	if (b->failed) {
		free(b->p);
		b->p = NULL;
		b->len = 0;
	}
	r->body = b->p;
	r->len = b->len;
}

/* A one-line error, as Go's serveError writes it. */
static void reply_error(struct http_reply *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void reply_error(struct http_reply *r, int status, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	struct body b = { 0 };
	body_printf(&b, "%s\n", line);
	r->status = status;
	r->content_type = TEXT_PLAIN;
	r->go_pprof_error = 1;
	r->disposition[0] = '\0';
	reply_body(r, &b);
}

/* A whole number >= 0 in text; -1 if it is not one. */
static long long whole_number(const char *s)
{
	long long n = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > 1000000000LL)
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n;
}

/* No seconds is all a profile takes for now; 0 when the parameters are
 * fine (*debug set: 0 without the parameter), else the reply is the 400. */
static int bad_profile_params(const struct http_request *q, struct http_reply *r, int *debug_out)
{
	const char *debug = q->param(q->ctx, "debug");
	const char *seconds = q->param(q->ctx, "seconds");
	if (debug && whole_number(debug) < 0) {
		reply_error(r, 400, "invalid value for \"debug\": a whole number is expected");
		return 1;
	}
	*debug_out = debug ? (int)whole_number(debug) : 0;
	if (seconds && whole_number(seconds) <= 0) {
		reply_error(r, 400, "invalid value for \"seconds\": a whole number above 0 is expected");
		return 1;
	}
	if (seconds) {
		reply_error(r, 400, "seconds not supported yet");
		return 1;
	}
	return 0;
}

static void serve_profile(const struct http_request *q, int kind, struct http_reply *r)
{
	int debug;
	if (bad_profile_params(q, r, &debug))
		return;
	if (snapshot_finished()) {
		reply_error(r, 503, "the program is exiting");
		return;
	}
	struct body b = { 0 };
	if (debug > 0) {   /* Go's text form, shown in the browser */
		if (snapshot_write_text(kind, debug, body_add, &b) != 0) {
			free(b.p);
			reply_error(r, 500, "could not write %s profile: %s", profile_kinds[kind].name,
			            strerror(errno));
			return;
		}
		r->status = 200;
		r->content_type = TEXT_PLAIN;
		reply_body(r, &b);
		return;
	}
	if (snapshot_write_kind_to(kind, body_add, &b) != 0) {
		free(b.p);
		reply_error(r, 500, "could not write %s profile: %s", profile_kinds[kind].name,
		            strerror(errno));
		return;
	}
	r->status = 200;
	r->content_type = "application/octet-stream";
	snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s\"",
	         profile_kinds[kind].name);
	reply_body(r, &b);
}

/* One line per kind: Go's descriptions, in our words. */
static const char *kind_description(const char *name)
{
	static const struct {
		const char *name, *text;
	} d[] = {
		{ "allocs", "A sampling of all past memory allocations" },
		{ "block", "Stack traces that led to blocking on synchronization primitives" },
		{ "heap", "A sampling of memory allocations of live objects" },
		{ "mutex", "Stack traces of holders of contended mutexes" },
		{ "threadcreate", "Stack traces that led to the creation of new threads" },
	};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		if (strcmp(d[i].name, name) == 0)
			return d[i].text;
	return "";
}

static void serve_index(struct http_reply *r)
{
	struct body b = { 0 };
	body_printf(&b, "<html>\n<head>\n<title>/debug/pprof/</title>\n"
	                "<style>.profile-name{display:inline-block; width:6rem;}</style>\n"
	                "</head>\n<body>\n/debug/pprof/\n<br>\n<br>\n"
	                "Types of profiles available:\n<table>\n"
	                "<thead><td>Count</td><td>Profile</td></thead>\n");
	for (int k = 0; k < KIND_COUNT; k++)
		if (!profile_kinds[k].no_page)
			body_printf(&b, "<tr><td>%zu</td><td><a href='%s'>%s</a></td></tr>\n",
			            profile_kind_count(k), profile_kinds[k].name, profile_kinds[k].name);
	body_printf(&b, "<tr><td></td><td><a href='cmdline'>cmdline</a></td></tr>\n"
	                "<tr><td></td><td><a href='symbol'>symbol</a></td></tr>\n"
	                "</table>\n<p>\nProfile Descriptions:\n<ul>\n");
	for (int k = 0; k < KIND_COUNT; k++)
		if (!profile_kinds[k].no_page)
			body_printf(&b, "<li><div class=profile-name>%s: </div> %s</li>\n",
			            profile_kinds[k].name, kind_description(profile_kinds[k].name));
	body_printf(&b, "<li><div class=profile-name>cmdline: </div> The command line of the "
	                "program</li>\n<li><div class=profile-name>symbol: </div> Program counters "
	                "to function names (pprof's remote symbolization)</li>\n"
	                "</ul>\n</p>\n</body>\n</html>\n");
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	reply_body(r, &b);
}

/* The arguments joined by NUL, as Go joins os.Args (no NUL at the end). */
static void serve_cmdline(struct http_reply *r)
{
	struct body b = { 0 };
	char buf[4096];
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
		body_add(&b, buf, (size_t)n);
	if (fd >= 0)
		close(fd);
	if (b.len > 0 && b.p[b.len - 1] == '\0')
		b.len--;
	if (b.len == 0)
		body_add(&b, "", 0);
	r->status = 200;
	r->content_type = TEXT_PLAIN;
	reply_body(r, &b);
}

struct symbol_job {
	const char *words;   /* addresses separated by '+' (or spaces) */
	size_t len;
	struct body *out;
};

static void symbolize_words(symbolizer *sym, void *arg)
{
	struct symbol_job *job = arg;
	const char *p = job->words, *end = job->words + job->len;
	for (int n = 0; p < end && n < MAX_SYMBOL_ADDRESSES; n++) {
		const char *stop = p;
		while (stop < end && *stop != '+' && *stop != ' ')
			stop++;
		char word[32];
		size_t wl = (size_t)(stop - p);
		if (wl > 0 && wl < sizeof word) {
			memcpy(word, p, wl);
			word[wl] = '\0';
			char *tail;
			errno = 0;
			unsigned long long pc = strtoull(word, &tail, 0);
			struct sym_frame frames[8];
			const struct sym_mapping *m;
			if (!errno && *tail == '\0' && pc != 0 &&
			    symbolizer_lookup(sym, pc, frames, 8, &m) > 0 && frames[0].function[0])
				body_printf(job->out, "%#llx %s\n", pc, frames[0].function);
		}
		p = stop + 1;
	}
}

/* pprof's remote symbolization: addresses joined by '+', in the POST body
 * or the query; answers "num_symbols: 1" and one "0xPC name" line per
 * address it knows. */
static void serve_symbol(const struct http_request *q, struct http_reply *r)
{
	struct body b = { 0 };
	struct body names = { 0 };
	struct symbol_job job = { q->raw_query ? q->raw_query : "", 0, &names };
	if (strcmp(q->method, "POST") == 0) {
		job.words = q->body ? q->body : "";
		job.len = q->body_len;
	} else {
		job.len = strlen(job.words);
	}
	if (job.len > 0)
		snapshot_with_symbolizer(symbolize_words, &job);
	body_printf(&b, "num_symbols: 1\n");
	if (names.len)
		body_add(&b, names.p, names.len);
	free(names.p);
	r->status = 200;
	r->content_type = TEXT_PLAIN;
	reply_body(r, &b);
}

void http_pages_answer(const struct http_request *q, struct http_reply *r)
{
	memset(r, 0, sizeof *r);
	const char *path = q->path;
	if (strcmp(path, "/debug/pprof") == 0) {
		r->status = 301;
		r->location = PREFIX;
		r->content_type = "text/html; charset=utf-8";
		struct body b = { 0 };
		body_printf(&b, "<a href=\"%s\">Moved Permanently</a>.\n\n", PREFIX);
		reply_body(r, &b);
		return;
	}
	if (strncmp(path, PREFIX, strlen(PREFIX)) != 0) {
		reply_error(r, 404, "404 page not found");
		r->go_pprof_error = 0;
		return;
	}
	const char *name = path + strlen(PREFIX);
	int kind = profile_kind_from_name(name);
	if (*name == '\0')
		serve_index(r);
	else if (strcmp(name, "cmdline") == 0)
		serve_cmdline(r);
	else if (strcmp(name, "symbol") == 0)
		serve_symbol(q, r);
	else if (kind >= 0 && !profile_kinds[kind].no_page)
		serve_profile(q, kind, r);
	else
		reply_error(r, 404, "Unknown profile");
}
