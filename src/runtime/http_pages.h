/*
 * http_pages.h — what the /debug/pprof/ endpoint answers, as Go's
 * net/http/pprof does: the index, one profile per kind, cmdline and symbol,
 * with Go's status codes, content types and Content-Disposition. Knows
 * nothing of the HTTP library (http_server.c carries requests here and
 * replies back). Runs on the HTTP thread, guard raised.
 */
#ifndef PPROF_AGENT_HTTP_PAGES_H
#define PPROF_AGENT_HTTP_PAGES_H

#include <stddef.h>

struct http_request {
	const char *method;     /* "GET", "POST", ... */
	const char *path;       /* without the query */
	/* The query parameter name, or NULL when absent. */
	const char *(*param)(void *ctx, const char *name);
	void *ctx;
	const char *raw_query;  /* the query's keys joined by '+' (symbol's GET form) */
	const char *body;       /* POST body, body_len bytes */
	size_t body_len;
	int may_wait;           /* the server can hold one more request over a span */
};

/* What a request over a span of time (?seconds=N, profile) started: the
 * reply comes from http_window_finish once the span is over. */
struct http_window;

struct http_reply {
	int status;
	const char *content_type;
	char disposition[64];   /* Content-Disposition; "" = none */
	const char *location;   /* a redirect's target, or NULL */
	int go_pprof_error;     /* an error of ours: Go marks them with X-Go-Pprof: 1 */
	char *body;             /* malloc'd; the caller frees it */
	size_t len;
	/* Not NULL: no reply yet (body NULL); ask http_window_finish once
	 * seconds have passed. */
	struct http_window *window;
	unsigned seconds;
};

/* Fills reply for req (body NULL only when memory ran out, or a window
 * was opened). */
void http_pages_answer(const struct http_request *req, struct http_reply *reply);

/* The reply to the request that opened w, whose span is over; frees w. */
void http_window_finish(struct http_window *w, struct http_reply *reply);

/* Ends w without a reply (the server stops); frees it. */
void http_window_drop(struct http_window *w);

#endif
