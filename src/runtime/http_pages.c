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

#include "delta.h"
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

/* debug=0 and no seconds is all a profile takes for now; 0 when the
 * parameters are fine, else the reply is the 400. */
static int bad_profile_params(const struct http_request *q, struct http_reply *r)
{
	const char *debug = q->param(q->ctx, "debug");
	const char *seconds = q->param(q->ctx, "seconds");
	if (debug && whole_number(debug) < 0) {
		reply_error(r, 400, "invalid value for \"debug\": a whole number is expected");
		return 1;
	}
	if (debug && whole_number(debug) != 0) {
		reply_error(r, 400, "debug=%s is not supported yet: only the profile.proto form (debug=0)",
		            debug);
		return 1;
	}
	(void)seconds;
	return 0;
}

/* ---- profiles over a span of time: ?seconds=N, and profile ---- */

#define MAX_SECONDS 300

struct http_window {
	int kind;                  /* KIND_CPU: the profile page */
	int cpu_counting;          /* the profile page's cpu profile is still on */
	struct counts_copy from;   /* the other kinds: their counters at the start */
	char what[32];             /* "seconds=N", said in the profile's comments */
};

/* The seconds parameter into *seconds (dflt when absent); 1 when it is
 * bad, the reply then the 400. */
static int bad_seconds(const struct http_request *q, long long dflt, long long *seconds,
                       struct http_reply *r)
{
	const char *text = q->param(q->ctx, "seconds");
	*seconds = text ? whole_number(text) : dflt;
	if (*seconds < 1 || *seconds > MAX_SECONDS) {
		reply_error(r, 400, "invalid value for \"seconds\": a whole number from 1 to %d is expected",
		            MAX_SECONDS);
		return 1;
	}
	return 0;
}

/* Whether a window can be opened now; else the reply says why. */
static int window_refused(const struct http_request *q, struct http_reply *r)
{
	if (snapshot_finished()) {
		reply_error(r, 503, "the program is exiting");
		return 1;
	}
	if (!q->may_wait) {
		reply_error(r, 429, "too many profiles over time are being taken; try again later");
		return 1;
	}
	return 0;
}

/* ?seconds=N on a profile page: Go's serveDeltaProfile, with in-use
 * absolute (delta.h). */
static void open_delta(const struct http_request *q, int kind, long long seconds,
                       struct http_reply *r)
{
	if (q->param(q->ctx, "debug")) {
		reply_error(r, 400, "seconds and debug params are incompatible");
		return;
	}
	if (!kind_has_deltas(kind)) {
		reply_error(r, 400, "seconds is not supported for the %s profile", profile_kinds[kind].name);
		return;
	}
	if (window_refused(q, r))
		return;
	struct http_window *w = calloc(1, sizeof *w);
	if (!w || counts_copy_take(kind, &w->from) != 0) {
		free(w);
		reply_error(r, 500, "could not start the %s profile: %s", profile_kinds[kind].name,
		            strerror(ENOMEM));
		return;
	}
	w->kind = kind;
	snprintf(w->what, sizeof w->what, "seconds=%lld", seconds);
	r->window = w;
	r->seconds = (unsigned)seconds;
}

/* profile?seconds=N (30 when absent): the cpu profile over the span, one
 * at a time (the C API's pprof_start_cpu_profile counts the same way). */
static void open_cpu(const struct http_request *q, struct http_reply *r)
{
	long long seconds;
	if (bad_seconds(q, 30, &seconds, r) || window_refused(q, r))
		return;
	struct http_window *w = calloc(1, sizeof *w);
	if (!w) {
		reply_error(r, 500, "Could not enable CPU profiling: %s", strerror(ENOMEM));
		return;
	}
	if (snapshot_cpu_api_begin() != 0) {
		int busy = errno == EBUSY;
		free(w);
		if (busy)
			reply_error(r, 409, "Could not enable CPU profiling: cpu profiling already in use");
		else
			reply_error(r, 503, "Could not enable CPU profiling: the kernel refuses perf events "
			                    "(see perf_event_paranoid)");
		return;
	}
	w->kind = KIND_CPU;
	w->cpu_counting = 1;
	r->window = w;
	r->seconds = (unsigned)seconds;
}

void http_window_finish(struct http_window *w, struct http_reply *r)
{
	struct body b = { 0 };
	memset(r, 0, sizeof *r);
	int rc = w->kind == KIND_CPU ? snapshot_cpu_api_end_to(body_add, &b)
	                             : snapshot_write_delta_to(&w->from, w->what, body_add, &b);
	int err = errno;
	w->cpu_counting = 0;
	if (rc == 0 && b.len == 0)   /* the program's pprof_stop_cpu_profile took it */
		rc = -1, err = ECANCELED;
	if (rc != 0) {
		free(b.p);
		reply_error(r, 500, "could not write the %s profile: %s",
		            w->kind == KIND_CPU ? "cpu" : profile_kinds[w->kind].name, strerror(err));
	} else {
		r->status = 200;
		r->content_type = "application/octet-stream";
		if (w->kind == KIND_CPU)
			snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"profile\"");
		else
			snprintf(r->disposition, sizeof r->disposition,
			         "attachment; filename=\"%s-delta\"", profile_kinds[w->kind].name);
		reply_body(r, &b);
	}
	http_window_drop(w);
}

void http_window_drop(struct http_window *w)
{
	if (w->cpu_counting)
		snapshot_cpu_api_end_to(NULL, NULL);
	counts_copy_free(&w->from);
	free(w);
}

static void serve_profile(const struct http_request *q, int kind, struct http_reply *r)
{
	long long seconds = 0;
	if (bad_profile_params(q, r) ||
	    (q->param(q->ctx, "seconds") && bad_seconds(q, 0, &seconds, r)))
		return;
	if (seconds) {
		open_delta(q, kind, seconds, r);
		return;
	}
	if (snapshot_finished()) {
		reply_error(r, 503, "the program is exiting");
		return;
	}
	struct body b = { 0 };
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
		{ "threads", "Stack traces of all current threads" },
		{ "goroutine", "Go's name for threads: stack traces of all current threads" },
		{ "profile", "CPU profile. You can specify the duration in the seconds GET parameter "
		             "(default 30). After you get the profile file, use the go tool pprof "
		             "command to investigate the profile." },
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
	body_printf(&b, "<tr><td>%zu</td><td><a href='goroutine'>goroutine</a></td></tr>\n"
	                "<tr><td></td><td><a href='profile'>profile</a></td></tr>\n",
	            profile_kind_count(KIND_THREADS));
	body_printf(&b, "<tr><td></td><td><a href='cmdline'>cmdline</a></td></tr>\n"
	                "<tr><td></td><td><a href='symbol'>symbol</a></td></tr>\n"
	                "</table>\n<p>\nProfile Descriptions:\n<ul>\n");
	for (int k = 0; k < KIND_COUNT; k++)
		if (!profile_kinds[k].no_page)
			body_printf(&b, "<li><div class=profile-name>%s: </div> %s</li>\n",
			            profile_kinds[k].name, kind_description(profile_kinds[k].name));
	body_printf(&b, "<li><div class=profile-name>goroutine: </div> %s</li>\n"
	                "<li><div class=profile-name>profile: </div> %s</li>\n",
	            kind_description("goroutine"), kind_description("profile"));
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
	/* goroutine: Go's name for the stacks of every thread */
	int kind = profile_kind_from_name(strcmp(name, "goroutine") == 0 ? "threads" : name);
	if (*name == '\0')
		serve_index(r);
	else if (strcmp(name, "cmdline") == 0)
		serve_cmdline(r);
	else if (strcmp(name, "symbol") == 0)
		serve_symbol(q, r);
	else if (strcmp(name, "profile") == 0)
		open_cpu(q, r);
	else if (kind >= 0 && !profile_kinds[kind].no_page)
		serve_profile(q, kind, r);
	else
		reply_error(r, 404, "Unknown profile");
}
