/*
 * prog_text.c — Go's text forms and runtime.Stack through the C API, for
 * e2e_text.sh. Run as `prog_text DIR STOPFILE NTHREADS`:
 *  - allocates in known places (alloc_kept: 30 x 1000 B kept; alloc_freed:
 *    20 x 500 B freed) and makes two threads contend on a mutex;
 *  - at one moment writes each of heap, block and mutex both as
 *    profile.proto (DIR/KIND.pb.gz) and as debug=1 text (DIR/KIND.txt),
 *    and threadcreate and threads as text;
 *  - calls pprof_stack from stack_inner, called by stack_middle, called by
 *    stack_outer: DIR/stack_self.txt; a truncated call (DIR/stack_cut.txt
 *    says whether it returned len and the prefix of the whole text);
 *  - starts NTHREADS threads (named parked_N) waiting on one condition
 *    variable, writes pprof_stack(all=1) to
 *    DIR/stack_all.txt, and the threads kind at debug=2 to DIR/threads2.txt;
 *  - prints "ready", waits (in nanosleep) until STOPFILE exists, wakes the
 *    threads, joins them and exits 0.
 * With PROG_TEXT_OWN_QUIT set it installs a SIGQUIT handler of its own
 * first, and makes DIR/own_quit.txt once it has run.
 * The API is looked up with dlsym: the agent is preloaded.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static int (*write_debug)(const char *, int, int);
static size_t (*stack)(char *, size_t, int);
static const char *dir;
static void *kept[30];
static void *volatile escape;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t park_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park = PTHREAD_COND_INITIALIZER;
static int stopping;
static char big[1 << 20];
static volatile sig_atomic_t own_quit;

static void on_quit(int sig)
{
	(void)sig;
	own_quit = 1;
}

NOINLINE static void alloc_kept(void)
{
	for (int i = 0; i < 30; i++)
		kept[i] = malloc(1000);
}

NOINLINE static void alloc_freed(void)
{
	for (int i = 0; i < 20; i++) {
		escape = malloc(500);
		free(escape);
	}
}

NOINLINE static void hold_lock(void)
{
	pthread_mutex_lock(&lock);
	struct timespec d = { 0, 20 * 1000 * 1000 };
	nanosleep(&d, NULL);
	pthread_mutex_unlock(&lock);
}

static void *contender(void *arg)
{
	(void)arg;
	for (int i = 0; i < 5; i++)
		hold_lock();
	return NULL;
}

static void write_file(const char *name, const char *kind, int debug)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write_debug(kind, fd, debug) != 0) {
		printf("cannot write %s\n", name);
		exit(1);
	}
	close(fd);
}

static void save(const char *name, const char *text, size_t len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		exit(1);
	fwrite(text, 1, len, f);
	fclose(f);
}

NOINLINE static void stack_inner(void)
{
	size_t n = stack(big, sizeof big, 0);
	save("stack_self.txt", big, n);
	static char cut[64];
	size_t m = stack(cut, 40, 0);
	char verdict[64];
	int k = snprintf(verdict, sizeof verdict, "%s\n",
	                 n > 40 && m == 40 && memcmp(cut, big, 40) == 0 ? "exact" : "wrong");
	save("stack_cut.txt", verdict, (size_t)k);
}

NOINLINE static void stack_middle(void)
{
	stack_inner();
	__asm__ volatile("" ::: "memory");
}

NOINLINE static void stack_outer(void)
{
	stack_middle();
	__asm__ volatile("" ::: "memory");
}

static pthread_cond_t all_parked = PTHREAD_COND_INITIALIZER;
static int parked;

static void *parked_thread(void *arg)
{
	char name[16];
	snprintf(name, sizeof name, "parked_%d", (int)(long)arg);
	pthread_setname_np(pthread_self(), name);
	pthread_mutex_lock(&park_lock);
	parked++;
	pthread_cond_signal(&all_parked);
	while (!stopping)
		pthread_cond_wait(&park, &park_lock);
	pthread_mutex_unlock(&park_lock);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	dir = argv[1];
	int nthreads = atoi(argv[3]);
	write_debug = (int (*)(const char *, int, int))dlsym(RTLD_DEFAULT, "pprof_write_profile_debug");
	stack = (size_t(*)(char *, size_t, int))dlsym(RTLD_DEFAULT, "pprof_stack");
	if (!write_debug || !stack) {
		printf("api: not found\n");
		return 1;
	}
	if (getenv("PROG_TEXT_OWN_QUIT")) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_quit;
		sigaction(SIGQUIT, &sa, NULL);
	}
	alloc_kept();
	alloc_freed();
	pthread_t c[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&c[i], NULL, contender, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(c[i], NULL);

	const char *kinds[] = { "heap", "block", "mutex" };
	for (int i = 0; i < 3; i++) {
		char name[64];
		snprintf(name, sizeof name, "%s.pb.gz", kinds[i]);
		write_file(name, kinds[i], 0);
		snprintf(name, sizeof name, "%s.txt", kinds[i]);
		write_file(name, kinds[i], 1);
	}
	write_file("threadcreate.txt", "threadcreate", 1);
	write_file("threads.txt", "threads", 1);
	stack_outer();

	pthread_t *t = calloc((size_t)nthreads, sizeof *t);
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&t[i], NULL, parked_thread, (void *)(long)i) != 0)
			return 1;
	/* Once main holds the lock with every thread counted, each of them
	 * waits in the condition variable. */
	pthread_mutex_lock(&park_lock);
	while (parked < nthreads)
		pthread_cond_wait(&all_parked, &park_lock);
	pthread_mutex_unlock(&park_lock);
	size_t n = stack(big, sizeof big, 1);
	save("stack_all.txt", big, n);
	write_file("threads2.txt", "threads", 2);
	printf("ready\n");
	fflush(stdout);
	char stop[4096];
	snprintf(stop, sizeof stop, "%s", argv[2]);
	while (access(stop, F_OK) != 0) {
		struct timespec d = { 0, 50 * 1000 * 1000 };
		nanosleep(&d, NULL);
		if (own_quit == 1) {
			own_quit = 2;
			save("own_quit.txt", "ran\n", 4);
		}
	}
	pthread_mutex_lock(&park_lock);
	stopping = 1;
	pthread_cond_broadcast(&park);
	pthread_mutex_unlock(&park_lock);
	for (int i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	free(t);
	for (int i = 0; i < 30; i++)
		free(kept[i]);
	return 0;
}
