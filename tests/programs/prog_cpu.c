/*
 * prog_cpu.c — known CPU work for the cpu profile's tests.
 *
 *   prog_cpu burn    — thread A spends 1.4 s of its own CPU time in burn_a,
 *                      thread B 0.6 s in burn_b, thread C sleeps in
 *                      sleep_a_while meanwhile; prints the CPU time of the
 *                      program's own threads (each thread's CPU clock read
 *                      as it ends, plus the main thread's) in ns: what a
 *                      cpu profile of the program can see. getrusage would
 *                      add the agent's own threads, whose work grows with
 *                      the snapshots a slow (loaded) run takes.
 *   prog_cpu blocked [--signal]
 *                    — threads wait in nanosleep, poll, read on a pipe,
 *                      pthread_cond_wait and pthread_cond_timedwait (each
 *                      for a known time or until woken) while two threads
 *                      burn CPU; prints
 *                      "interruptions N": how many of those calls failed
 *                      with EINTR or returned early. --signal sends each
 *                      waiting thread a signal (with an SA_RESTART handler),
 *                      to show that such interruptions are seen.
 *   prog_cpu api FILE — pprof_start_cpu_profile(FILE's fd), 0.5 s of CPU in
 *                      burn_a, a second start (must fail with EBUSY), then
 *                      pprof_stop_cpu_profile; prints "api ok" or what
 *                      failed. The functions are looked up at run time.
 * Each thread's CPU time comes from its own CPU clock, so the shares hold
 * however loaded the machine is.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t ns_of(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static volatile uint64_t sink;

static __attribute__((noinline)) void spin(uint64_t n)
{
	uint64_t x = sink;
	for (uint64_t i = 0; i < n; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	sink = x;
}

/* Spends cpu_ns of the calling thread's CPU time in spin. */
static __attribute__((noinline)) void burn_a(int64_t cpu_ns)
{
	int64_t end = ns_of(CLOCK_THREAD_CPUTIME_ID) + cpu_ns;
	while (ns_of(CLOCK_THREAD_CPUTIME_ID) < end)
		spin(20000);
}

/* Not the same code as burn_a (the linker could fold them into one). */
static __attribute__((noinline)) void burn_b(int64_t cpu_ns)
{
	int64_t end = ns_of(CLOCK_THREAD_CPUTIME_ID) + cpu_ns;
	while (ns_of(CLOCK_THREAD_CPUTIME_ID) < end)
		spin(20011);
}

static atomic_int burning;
static _Atomic int64_t threads_cpu_ns;   /* the ended threads' CPU time */

static void count_my_cpu_time(void)
{
	atomic_fetch_add(&threads_cpu_ns, ns_of(CLOCK_THREAD_CPUTIME_ID));
}

static void *thread_a(void *arg)
{
	burn_a((int64_t)(intptr_t)arg);
	count_my_cpu_time();
	return NULL;
}

static void *thread_b(void *arg)
{
	burn_b((int64_t)(intptr_t)arg);
	count_my_cpu_time();
	return NULL;
}

static int wake_pipe[2];   /* burn: written to when the burning is over */

/* Waits, using no CPU at all, until the burning is over: one read of a
 * pipe (a polling loop would use a few microseconds per wake-up, and on a
 * slow enough run they add up to a sample). */
static __attribute__((noinline)) void sleep_a_while(void)
{
	char c;
	while (read(wake_pipe[0], &c, 1) < 0)
		;
}

static void *thread_c(void *arg)
{
	(void)arg;
	sleep_a_while();
	count_my_cpu_time();
	return NULL;
}

static int burn(void)
{
	pthread_t a, b, c;
	if (pipe(wake_pipe) != 0)
		return 1;
	pthread_create(&c, NULL, thread_c, NULL);
	pthread_create(&a, NULL, thread_a, (void *)(intptr_t)1400000000);
	pthread_create(&b, NULL, thread_b, (void *)(intptr_t)600000000);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	if (write(wake_pipe[1], "x", 1) != 1)
		return 1;
	pthread_join(c, NULL);
	count_my_cpu_time();
	printf("%lld\n", (long long)atomic_load(&threads_cpu_ns));
	return 0;
}

/* ---- blocked ---- */

#define WAIT_NS 300000000   /* each wait: 0.3 s */
#define ROUNDS 5

static atomic_int interruptions;
static int pipe_fds[2];
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int cond_rounds;

/* A wait that ended more than 5 ms before its time returned early. */
static void note(int failed_eintr, int64_t start, int64_t want_ns)
{
	if (failed_eintr || ns_of(CLOCK_MONOTONIC) - start < want_ns - 5000000)
		atomic_fetch_add(&interruptions, 1);
}

static void *in_nanosleep(void *arg)
{
	(void)arg;
	for (int r = 0; r < ROUNDS; r++) {
		int64_t start = ns_of(CLOCK_MONOTONIC);
		struct timespec t = { 0, WAIT_NS };
		note(nanosleep(&t, NULL) != 0 && errno == EINTR, start, WAIT_NS);
	}
	return NULL;
}

static void *in_poll(void *arg)
{
	(void)arg;
	for (int r = 0; r < ROUNDS; r++) {
		int64_t start = ns_of(CLOCK_MONOTONIC);
		note(poll(NULL, 0, WAIT_NS / 1000000) < 0 && errno == EINTR, start, WAIT_NS);
	}
	return NULL;
}

static void *in_read(void *arg)
{
	(void)arg;
	for (int r = 0; r < ROUNDS; r++) {
		char c;
		ssize_t n = read(pipe_fds[0], &c, 1);
		if (n != 1)
			atomic_fetch_add(&interruptions, 1);
	}
	return NULL;
}

static void *in_cond_wait(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	for (int r = 0; r < ROUNDS; r++) {
		int want = r + 1;
		while (cond_rounds < want)
			pthread_cond_wait(&cv, &m);
	}
	pthread_mutex_unlock(&m);
	return NULL;
}

static void *in_cond_timedwait(void *arg)
{
	(void)arg;
	static pthread_mutex_t tm = PTHREAD_MUTEX_INITIALIZER;
	static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
	pthread_mutex_lock(&tm);
	for (int r = 0; r < ROUNDS; r++) {
		int64_t start = ns_of(CLOCK_MONOTONIC);
		int64_t until = ns_of(CLOCK_REALTIME) + WAIT_NS;
		struct timespec t = { (time_t)(until / 1000000000), (long)(until % 1000000000) };
		int rc = pthread_cond_timedwait(&never, &tm, &t);
		note(rc != ETIMEDOUT, start, WAIT_NS);
	}
	pthread_mutex_unlock(&tm);
	return NULL;
}

static void *burner(void *arg)
{
	(void)arg;
	while (atomic_load(&burning))
		spin(100000);
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;
}

static int blocked(int send_signals)
{
	pthread_t waiters[5], burners[2];
	void *(*fns[5])(void *) = { in_nanosleep, in_poll, in_read, in_cond_wait, in_cond_timedwait };
	if (pipe(pipe_fds) != 0)
		return 1;
	if (send_signals) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sa.sa_flags = SA_RESTART;
		sigaction(SIGUSR1, &sa, NULL);
	}
	atomic_store(&burning, 1);
	for (int i = 0; i < 2; i++)
		pthread_create(&burners[i], NULL, burner, NULL);
	for (int i = 0; i < 5; i++)
		pthread_create(&waiters[i], NULL, fns[i], NULL);
	for (int r = 0; r < ROUNDS; r++) {
		struct timespec t = { 0, WAIT_NS };
		nanosleep(&t, NULL);
		if (send_signals)
			for (int i = 0; i < 2; i++)
				pthread_kill(waiters[i], SIGUSR1);
		if (write(pipe_fds[1], "x", 1) != 1)
			return 1;
		pthread_mutex_lock(&m);
		cond_rounds++;
		pthread_cond_signal(&cv);
		pthread_mutex_unlock(&m);
	}
	for (int i = 0; i < 5; i++)
		pthread_join(waiters[i], NULL);
	atomic_store(&burning, 0);
	for (int i = 0; i < 2; i++)
		pthread_join(burners[i], NULL);
	printf("interruptions %d\n", atomic_load(&interruptions));
	return 0;
}

static int api(const char *path)
{
	int (*start)(int) = (int (*)(int))dlsym(RTLD_DEFAULT, "pprof_start_cpu_profile");
	int (*stop)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "pprof_stop_cpu_profile");
	if (!start || !stop) {
		printf("api: not found\n");
		return 1;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || start(fd) != 0) {
		printf("api: start: %s\n", strerror(errno));
		return 1;
	}
	burn_a(500000000);
	if (start(fd) == 0 || errno != EBUSY) {
		printf("api: a second start did not fail with EBUSY\n");
		return 1;
	}
	if (stop() != 0) {
		printf("api: stop: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	printf("api ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "api") == 0)
		return api(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "burn") == 0)
		return burn();
	if (argc >= 2 && strcmp(argv[1], "blocked") == 0)
		return blocked(argc >= 3 && strcmp(argv[2], "--signal") == 0);
	fprintf(stderr, "usage: prog_cpu burn | blocked [--signal]\n");
	return 2;
}
