/*
 * http_server.c — the HTTP thread (see http_server.h): binds, hands the
 * socket to libmicrohttpd in its external-loop mode (MHD_USE_EPOLL without
 * an internal thread), and polls the library's epoll descriptor and a
 * wake-up eventfd until told to stop. Requests go to http_pages.c.
 *
 * A request over a span of time (?seconds=N, profile) must not hold the
 * one thread that serves: its connection is suspended (it then neither
 * times out nor is read) and kept in the table of windows; the loop wakes
 * at the earliest end, queues the reply and resumes the connection. At
 * most MAX_WINDOWS are open at once; the library must not be stopped with
 * a connection suspended, so stopping ends them all first.
 */
#include "http_server.h"

#include "agent_thread.h"
#include "agent_thread_names.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http_addr.h"
#include "http_pages.h"
#include "mhd_lib.h"
#include "private_fd.h"
#include "report_sys.h"
#include "runtime.h"
#include "snapshot.h"

/* Bounds on what a client may take. */
#define CONNECTION_LIMIT 16
#define CONNECTION_TIMEOUT_S 10
#define CONNECTION_MEMORY 65536       /* request line and headers */
#define MAX_BODY (1024 * 1024)        /* a POST body (symbol) */
#define MAX_WINDOWS 8                 /* requests over a span of time at once */

static atomic_int started, stopping;
static sem_t stopped;
/* Descriptors a forked child must close; -1 when none. */
static atomic_int listen_fd = -1, epoll_fd = -1, wake_fd = -1;
static atomic_int connection_fds[CONNECTION_LIMIT + 1];

/* The per-request state: the body so far. */
struct request {
	char *body;
	size_t len;
	int too_big;
};

/* The open windows: suspended connections waiting for their span's end. */
static struct window_slot {
	struct MHD_Connection *c;
	struct http_window *w;
	struct timespec end;   /* CLOCK_MONOTONIC */
} windows[MAX_WINDOWS];

/* ---- connections, tracked for a forked child ---- */

static void track_connection(int fd, int on)
{
	for (int i = 0; i <= CONNECTION_LIMIT; i++) {
		int expected = on ? -1 : fd;
		if (atomic_compare_exchange_strong(&connection_fds[i], &expected, on ? fd : -1))
			return;
	}
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	(void)socket_context;
	const union MHD_ConnectionInfo *info =
	        mhd->get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (info)
		track_connection(info->connect_fd, code == MHD_CONNECTION_NOTIFY_STARTED);
}

/* ---- requests ---- */

struct query {
	struct MHD_Connection *c;
	char raw[4096];
	size_t raw_len;
};

static const char *query_param(void *ctx, const char *name)
{
	struct query *q = ctx;
	return mhd->lookup_connection_value(q->c, MHD_GET_ARGUMENT_KIND, name);
}

/* The query's keys joined by '+': the symbol page's GET form. */
static enum MHD_Result join_keys(void *ctx, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
	struct query *q = ctx;
	(void)kind;
	(void)value;
	size_t n = strlen(key);
	if (q->raw_len + n + 2 > sizeof q->raw)
		return MHD_NO;
	if (q->raw_len)
		q->raw[q->raw_len++] = '+';
	memcpy(q->raw + q->raw_len, key, n);
	q->raw_len += n;
	q->raw[q->raw_len] = '\0';
	return MHD_YES;
}

static enum MHD_Result send_reply(struct MHD_Connection *c, struct http_reply *r)
{
	static const char out_of_memory[] = "out of memory\n";
	struct MHD_Response *resp =
	        r->body ? mhd->create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE)
	                : mhd->create_response_from_buffer(sizeof out_of_memory - 1,
	                                                   (void *)out_of_memory,
	                                                   MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(r->body);
		return MHD_NO;
	}
	int status = r->body ? r->status : 500;
	mhd->add_response_header(resp, "Content-Type", r->content_type ? r->content_type
	                                                                 : "text/plain; charset=utf-8");
	mhd->add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (r->disposition[0])
		mhd->add_response_header(resp, "Content-Disposition", r->disposition);
	if (r->location)
		mhd->add_response_header(resp, "Location", r->location);
	if (r->go_pprof_error)
		mhd->add_response_header(resp, "X-Go-Pprof", "1");
	enum MHD_Result rc = mhd->queue_response(c, (unsigned)status, resp);
	mhd->destroy_response(resp);
	return rc;
}

static struct window_slot *free_window_slot(void)
{
	for (int i = 0; i < MAX_WINDOWS; i++)
		if (!windows[i].c)
			return &windows[i];
	return NULL;
}

static int64_t ms_until(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000;
}

/* Replies to and resumes the windows whose span is over (every one when
 * all is set: the server stops, and they get no reply). Returns the
 * milliseconds until the next end, or -1 when none is open. */
static int64_t close_windows(int all)
{
	int64_t next = -1;
	for (int i = 0; i < MAX_WINDOWS; i++) {
		struct window_slot *s = &windows[i];
		if (!s->c)
			continue;
		int64_t left = ms_until(&s->end);
		if (!all && left > 0) {
			if (next < 0 || left < next)
				next = left;
			continue;
		}
		if (all) {
			http_window_drop(s->w);
		} else {
			struct http_reply reply;
			http_window_finish(s->w, &reply);
			send_reply(s->c, &reply);   /* sent once resumed */
		}
		mhd->resume_connection(s->c);
		s->c = NULL;
		s->w = NULL;
	}
	return next;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **req_cls)
{
	(void)cls;
	(void)version;
	struct request *req = *req_cls;
	if (!req) {
		req = calloc(1, sizeof *req);
		if (!req)
			return MHD_NO;
		*req_cls = req;
		return MHD_YES;
	}
	if (*upload_size) {
		if (req->len + *upload_size > MAX_BODY) {
			req->too_big = 1;
		} else {
			char *p = realloc(req->body, req->len + *upload_size + 1);
			if (!p)
				return MHD_NO;
			memcpy(p + req->len, upload, *upload_size);
			req->body = p;
			req->len += *upload_size;
			req->body[req->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	struct http_reply reply;
	if (req->too_big) {
		memset(&reply, 0, sizeof reply);
		reply.status = 413;
		reply.content_type = "text/plain; charset=utf-8";
		reply.go_pprof_error = 1;
		reply.body = strdup("request body too large\n");
		reply.len = reply.body ? strlen(reply.body) : 0;
		return send_reply(c, &reply);
	}
	struct query q = { .c = c };
	mhd->get_connection_values(c, MHD_GET_ARGUMENT_KIND, join_keys, &q);
	struct window_slot *slot = free_window_slot();
	struct http_request hr = {
		.method = method, .path = url, .param = query_param, .ctx = &q,
		.raw_query = q.raw, .body = req->body, .body_len = req->len,
		.may_wait = slot != NULL,
	};
	http_pages_answer(&hr, &reply);
	if (reply.window && slot) {
		clock_gettime(CLOCK_MONOTONIC, &slot->end);
		slot->end.tv_sec += reply.seconds;
		slot->c = c;
		slot->w = reply.window;
		mhd->suspend_connection(c);
		return MHD_YES;
	}
	if (reply.window)   /* not asked for without a free slot; never kept */
		http_window_drop(reply.window);
	return send_reply(c, &reply);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode code)
{
	(void)cls;
	(void)c;
	(void)code;
	struct request *req = *req_cls;
	if (req) {
		free(req->body);
		free(req);
		*req_cls = NULL;
	}
}

static void on_library_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	agent_debug("http: %s", line);
}

/* ---- the listening socket and the address file ---- */

/* Binds agent_opts.http; the socket is close-on-exec and moved far above
 * the program's descriptors. -1 with one line in err. */
static int listen_on(char *bound, size_t boundlen, char *err, size_t errlen)
{
	struct http_addr a;
	struct sockaddr_storage ss;
	socklen_t sl;
	memset(&ss, 0, sizeof ss);
	if (http_addr_parse(agent_opts.http, &a) != 0) {
		snprintf(err, errlen, "option http: \"%s\" is not an address", agent_opts.http);
		return -1;
	}
	if (a.family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)a.port);
		memcpy(&in->sin_addr, a.ip, 4);
		sl = sizeof *in;
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)a.port);
		memcpy(&in6->sin6_addr, a.ip, 16);
		sl = sizeof *in6;
	}
	int one = 1;
	int fd = socket(a.family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd >= 0)
		fd = private_fd_move(fd);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    (a.family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one)) ||
	    bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, CONNECTION_LIMIT) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		snprintf(err, errlen, "http: cannot listen on %s: %s; nothing is served",
		         agent_opts.http, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	char ip[INET6_ADDRSTRLEN];
	if (a.family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
		snprintf(bound, boundlen, "%s:%u", ip, ntohs(in->sin_port));
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
		snprintf(bound, boundlen, "[%s]:%u", ip, ntohs(in6->sin6_port));
	}
	return fd;
}

static int write_address(int fd, void *arg)
{
	char line[160];
	int n = snprintf(line, sizeof line, "%s\n", (const char *)arg);
	return write_all(&fd, line, (size_t)n);
}

/* ---- the thread ---- */

static struct MHD_Daemon *start_daemon(int fd)
{
	return mhd->start_daemon(
	        MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL,
	        on_request, NULL,
	        MHD_OPTION_EXTERNAL_LOGGER, on_library_log, NULL,
	        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	        MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTION_LIMIT,
	        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S,
	        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
	        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	        MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
	        MHD_OPTION_END);
}

/* Runs the library's loop until told to stop. */
static void serve(struct MHD_Daemon *d, int epfd, int wfd)
{
	while (!atomic_load(&stopping)) {
		/* windows first: the library's timeout then sees a connection
		 * just resumed */
		int64_t window_ms = close_windows(0);
		MHD_UNSIGNED_LONG_LONG wait_ms;
		int timeout = 1000;
		if (mhd->get_timeout(d, &wait_ms) == MHD_YES && wait_ms < 1000)
			timeout = (int)wait_ms;
		if (window_ms >= 0 && window_ms < timeout)
			timeout = (int)window_ms;
		struct pollfd p[2] = { { epfd, POLLIN, 0 }, { wfd, POLLIN, 0 } };
		if (poll(p, 2, timeout) < 0 && errno != EINTR)
			break;
		if (p[1].revents) {
			uint64_t n;
			if (read(wfd, &n, sizeof n) < 0)
				continue;
		}
		if (!atomic_load(&stopping)) {
			close_windows(0);
			mhd->run(d);
		}
	}
	close_windows(1);
}

static void *http_main(void *arg)
{
	(void)arg;
	agent_enter();   /* for good: nothing this thread does is profiled */
	char err[1024], bound[160];
	struct MHD_Daemon *d = NULL;
	int fd = -1;
	if (mhd_lib_load(err, sizeof err) != 0 ||
	    (fd = listen_on(bound, sizeof bound, err, sizeof err)) < 0) {
		agent_log("%s", err);
		goto out;
	}
	atomic_store(&listen_fd, fd);
	d = start_daemon(fd);
	const union MHD_DaemonInfo *info = d ? mhd->get_daemon_info(d, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
	if (!info) {
		agent_log("http: cannot serve on %s; nothing is served", bound);
		goto out;
	}
	atomic_store(&epoll_fd, info->epoll_fd);
	if (snapshot_write_named("http", write_address, bound) != 0)
		agent_log("http: cannot write the address file: %s", strerror(errno));
	agent_debug("http: serving /debug/pprof/ on http://%s", bound);
	serve(d, info->epoll_fd, atomic_load(&wake_fd));
out:
	if (d)
		mhd->stop_daemon(d);   /* closes the listening socket and every connection */
	else if (fd >= 0)
		close(fd);
	atomic_store(&listen_fd, -1);
	atomic_store(&epoll_fd, -1);
	sem_post(&stopped);
	return NULL;
}

void http_server_start(void)
{
	int expected = 0;
	if (!agent_opts.http[0] || !atomic_compare_exchange_strong(&started, &expected, 1))
		return;
	for (int i = 0; i <= CONNECTION_LIMIT; i++)
		atomic_store(&connection_fds[i], -1);
	sem_init(&stopped, 0, 0);
	int wfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (wfd >= 0)
		wfd = private_fd_move(wfd);
	if (wfd < 0) {
		agent_log("http: cannot make an eventfd: %s; nothing is served", strerror(errno));
		atomic_store(&started, 0);
		return;
	}
	atomic_store(&wake_fd, wfd);
	int rc = agent_spawn_thread(http_main, AGENT_HTTP_THREAD_NAME);
	if (rc != 0) {
		agent_log("http: cannot start the HTTP thread: %s; nothing is served", strerror(rc));
		close(wfd);
		atomic_store(&wake_fd, -1);
		atomic_store(&started, 0);
		return;
	}
}

void http_server_stop(void)
{
	if (!atomic_load(&started) || atomic_exchange(&stopping, 1))
		return;
	uint64_t one = 1;
	int wfd = atomic_load(&wake_fd);
	if (wfd >= 0 && write(wfd, &one, sizeof one) < 0)
		agent_debug("http: cannot wake the HTTP thread: %s", strerror(errno));
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += 1;
	while (sem_timedwait(&stopped, &t) != 0 && errno == EINTR)
		;
}

static void close_if_open(atomic_int *fd)
{
	int n = atomic_exchange(fd, -1);
	if (n >= 0)
		close(n);
}

void http_server_after_fork_child(void)
{
	if (!atomic_load(&started))
		return;
	close_if_open(&listen_fd);
	close_if_open(&epoll_fd);
	close_if_open(&wake_fd);
	for (int i = 0; i <= CONNECTION_LIMIT; i++)
		close_if_open(&connection_fds[i]);
	atomic_store(&started, 0);
}
