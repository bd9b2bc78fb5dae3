/*
 * host_waits.c — threads that wait in the system calls a signal would
 * interrupt, counting every call that fails with EINTR or returns early,
 * for e2e_host_waits.sh (the threads kind must never interrupt them).
 *
 * Usage: host_waits SECONDS [interrupt]. One thread each waits, over and
 * over until SECONDS have passed, in nanosleep, poll, epoll_wait, select
 * and sem_timedwait (each for WAIT_MS, on things nothing ever makes ready,
 * so each call must time out, after at least WAIT_MS), and, once for the
 * whole run, in read on a pipe, accept on a socket and pthread_cond_wait
 * (nothing happens to them until main ends the run). Another thread spins
 * in spin_in_user (running: no stack is taken), and another keeps
 * starting and joining short-lived threads (threads that come and go while
 * a snapshot lists them).
 * Then main prints, per call, "NAME calls=N interrupted=M"; M counts the
 * calls that failed with EINTR, returned before their time, or returned
 * with nothing to show for it.
 *
 * With a third argument FILE, main then writes the threads profile to FILE
 * itself (pprof_write_profile, found with dlsym: the agent is preloaded)
 * from write_threads_profile, so its own stack is in it, and asks for the
 * records (pprof_thread_profile) with no room, then with room, printing
 * "records N: R0 then R1, own STATE in write_threads_profile: yes|no".
 *
 * With "interrupt", a thread sends SIGUSR1 (a handler that does nothing,
 * installed without SA_RESTART) to every waiting thread every 10 ms, as a
 * profiler that samples stacks by signal would: the counts must then show
 * interruptions, which shows the test can see them.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <pprof_agent.h>

#define NOINLINE __attribute__((noinline))
#define WAIT_MS 200
/* A timed wait is early when it ends this much before its time (the
 * clocks of the call and of the measure round differently). */
#define SLACK_NS 1000000LL

enum call { NANOSLEEP, POLL, EPOLL_WAIT, SELECT, SEM_TIMEDWAIT, READ, ACCEPT, COND_WAIT, CALLS };
static const char *const call_names[CALLS] = {
	"nanosleep", "poll", "epoll_wait", "select", "sem_timedwait", "read", "accept", "cond_wait",
};

static atomic_int calls[CALLS], interrupted[CALLS];
static atomic_int stop;
static int never_pipe[2], read_pipe[2], listener, epfd;
static sem_t never_posted;
static pthread_mutex_t cond_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int cond_done;

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Counts one call of c that returned rc (errno err) after elapsed ns;
 * it should have timed out (returned timed_out) after WAIT_MS. */
static void count_timed(enum call c, int rc, int timed_out, int err, long long elapsed)
{
	calls[c]++;
	if (rc != timed_out || (rc == -1 && err != ETIMEDOUT) ||
	    elapsed < WAIT_MS * 1000000LL - SLACK_NS)
		interrupted[c]++;
}

NOINLINE static void wait_in_nanosleep(void)
{
	struct timespec t = { 0, WAIT_MS * 1000000L };
	long long start = now_ns();
	int rc = nanosleep(&t, NULL);
	count_timed(NANOSLEEP, rc, 0, errno, now_ns() - start);
}

NOINLINE static void wait_in_poll(void)
{
	struct pollfd p = { .fd = never_pipe[0], .events = POLLIN };
	long long start = now_ns();
	int rc = poll(&p, 1, WAIT_MS);
	count_timed(POLL, rc, 0, errno, now_ns() - start);
}

NOINLINE static void wait_in_epoll_wait(void)
{
	struct epoll_event e;
	long long start = now_ns();
	int rc = epoll_wait(epfd, &e, 1, WAIT_MS);
	count_timed(EPOLL_WAIT, rc, 0, errno, now_ns() - start);
}

NOINLINE static void wait_in_select(void)
{
	fd_set in;
	struct timeval t = { 0, WAIT_MS * 1000L };
	FD_ZERO(&in);
	FD_SET(never_pipe[0], &in);
	long long start = now_ns();
	int rc = select(never_pipe[0] + 1, &in, NULL, NULL, &t);
	count_timed(SELECT, rc, 0, errno, now_ns() - start);
}

NOINLINE static void wait_in_sem_timedwait(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += WAIT_MS * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	long long start = now_ns();
	int rc = sem_timedwait(&never_posted, &t);
	count_timed(SEM_TIMEDWAIT, rc, -1, errno, now_ns() - start);
}

/* The untimed waits end when main ends the run: any return before that
 * is an interruption. */
NOINLINE static void wait_in_read(void)
{
	char c;
	ssize_t n = read(read_pipe[0], &c, 1);
	calls[READ]++;
	if (n != 1 || !atomic_load(&stop))
		interrupted[READ]++;
}

NOINLINE static void wait_in_accept(void)
{
	int fd = accept(listener, NULL, NULL);
	calls[ACCEPT]++;
	if (fd < 0 || !atomic_load(&stop))
		interrupted[ACCEPT]++;
	if (fd >= 0)
		close(fd);
}

NOINLINE static void wait_in_cond_wait(void)
{
	pthread_mutex_lock(&cond_lock);
	while (!cond_done) {
		pthread_cond_wait(&cond, &cond_lock);
		calls[COND_WAIT]++;
		if (!cond_done)
			interrupted[COND_WAIT]++;
	}
	pthread_mutex_unlock(&cond_lock);
}

static void *timed_waiter(void *arg)
{
	void (*wait_once)(void) = (void (*)(void))arg;
	while (!atomic_load(&stop))
		wait_once();
	return NULL;
}

/* Waits again after an interruption, until the run ends. */
static void *untimed_waiter(void *arg)
{
	void (*wait_once)(void) = (void (*)(void))arg;
	do
		wait_once();
	while (!atomic_load(&stop));
	return NULL;
}

static atomic_int spinning = 1;

NOINLINE static void *spin_in_user(void *arg)
{
	volatile unsigned long n = 0;
	while (atomic_load_explicit(&spinning, memory_order_relaxed)) {
		n++;
		if (n % 4096 == 0)
			sched_yield();   /* runnable all along, but polite on a busy machine */
	}
	return arg;
}

static void *short_lived(void *arg)
{
	return arg;
}

static void *churn(void *arg)
{
	while (!atomic_load(&stop)) {
		pthread_t t;
		if (pthread_create(&t, NULL, short_lived, NULL) == 0)
			pthread_join(t, NULL);
		usleep(1000);
	}
	return arg;
}

static void on_signal(int sig)
{
	(void)sig;
}

static pthread_t waiters[CALLS];

static void *interrupter(void *arg)
{
	while (!atomic_load(&stop)) {
		for (int c = 0; c < CALLS; c++)
			pthread_kill(waiters[c], SIGUSR1);
		usleep(10000);
	}
	return arg;
}

static void make_listener(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	listener = socket(AF_INET, SOCK_STREAM, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&a, sizeof a) != 0 ||
	    listen(listener, 1) != 0 || getsockname(listener, (struct sockaddr *)&a, &len) != 0) {
		perror("listener");
		exit(2);
	}
}

static void wake_untimed(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int s = socket(AF_INET, SOCK_STREAM, 0);
	getsockname(listener, (struct sockaddr *)&a, &len);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) != 0)
		perror("connect");
	if (write(read_pipe[1], "x", 1) != 1)
		perror("write");
	pthread_mutex_lock(&cond_lock);
	cond_done = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&cond_lock);
	if (s >= 0)
		close(s);
}

typedef int thread_profile_fn(struct pprof_thread_record *, size_t, size_t *);

NOINLINE static void write_threads_profile(const char *path)
{
	int (*write_profile)(const char *, int) =
	    (int (*)(const char *, int))dlsym(RTLD_DEFAULT, "pprof_write_profile");
	thread_profile_fn *thread_profile = (thread_profile_fn *)dlsym(RTLD_DEFAULT,
	                                                               "pprof_thread_profile");
	struct pprof_thread_record r[8];
	size_t n = 0, i;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (!write_profile || fd < 0 || write_profile("threads", fd) != 0)
		perror("pprof_write_profile");
	if (fd >= 0)
		close(fd);
	if (!thread_profile)
		return;
	int without_room = thread_profile(NULL, 0, &n);
	int with_room = thread_profile(r, 8, &n);
	for (i = 0; i < n && r[i].tid != gettid(); i++)
		;
	uintptr_t leaf = i < n ? r[i].stack.stack[0] : 0, here = (uintptr_t)write_threads_profile;
	printf("records %zu: %d then %d, own %s in write_threads_profile: %s\n", n, without_room,
	       with_room, i < n ? r[i].state : "missing", leaf > here && leaf - here < 4096 ? "yes" : "no");
}

int main(int argc, char **argv)
{
	static void (*const waits[CALLS])(void) = {
		wait_in_nanosleep, wait_in_poll, wait_in_epoll_wait, wait_in_select,
		wait_in_sem_timedwait, wait_in_read, wait_in_accept, wait_in_cond_wait,
	};
	int seconds = argc > 1 ? atoi(argv[1]) : 3;
	int interrupt = argc > 2 && strcmp(argv[2], "interrupt") == 0;
	struct epoll_event e = { .events = EPOLLIN };
	pthread_t spinner, churner, sender;

	if (pipe(never_pipe) != 0 || pipe(read_pipe) != 0 || sem_init(&never_posted, 0, 0) != 0 ||
	    (epfd = epoll_create1(0)) < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, never_pipe[0], &e) != 0) {
		perror("setup");
		return 2;
	}
	make_listener();
	if (interrupt) {
		struct sigaction sa = { .sa_handler = on_signal };   /* no SA_RESTART */
		sigaction(SIGUSR1, &sa, NULL);
	}
	for (int c = 0; c < CALLS; c++)
		pthread_create(&waiters[c], NULL, c < READ ? timed_waiter : untimed_waiter,
		               (void *)waits[c]);
	pthread_create(&spinner, NULL, spin_in_user, NULL);
	pthread_create(&churner, NULL, churn, NULL);
	if (interrupt)
		pthread_create(&sender, NULL, interrupter, NULL);

	sleep((unsigned)seconds);
	atomic_store(&stop, 1);
	if (interrupt)
		pthread_join(sender, NULL);
	wake_untimed();
	for (int c = 0; c < CALLS; c++)
		pthread_join(waiters[c], NULL);
	atomic_store(&spinning, 0);
	pthread_join(spinner, NULL);
	pthread_join(churner, NULL);
	for (int c = 0; c < CALLS; c++)
		printf("%s calls=%d interrupted=%d\n", call_names[c], calls[c], interrupted[c]);
	if (argc > 3)
		write_threads_profile(argv[3]);
	return 0;
}
