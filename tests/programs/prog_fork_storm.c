/*
 * prog_fork_storm.c — forks while every agent lock is busy, for
 * e2e_fork_storm.sh: if fork's prepare handler (src/runtime/fork.c) misses
 * a lock that another thread can hold, sooner or later a child is born
 * with that lock taken and hangs on it.
 *   prog_fork_storm LIBRARY [N]
 * Background threads keep the agent busy without pause: two contend on a
 * mutex, one reads and one writes an rwlock, two pass a token through a
 * condition variable (contention and block events, stack unwinding), one
 * dlopens LIBRARY, calls its dso_alloc (tests/programs/prog_dlopen_lib.c),
 * frees the blocks and dlcloses it (the dlclose hook, the loader's locks),
 * two malloc and free (heap samples at mem_rate=1). LIBRARY must have no
 * destructor calling __cxa_finalize (e2e_fork_storm.sh says why). Meanwhile main forks N
 * children (default 200) one after another. Each child allocates
 * CHILD_BLOCKS x CHILD_BLOCK_SIZE in child_work (kept), takes and releases
 * a mutex and exits normally, so the agent writes its exit profiles.
 *
 * Main waits for each child up to CHILD_TIMEOUT_MS. A child that takes
 * longer is reported "child PID hung", its threads' stacks are printed
 * with gdb when gdb is installed, and it is killed; no further child is
 * forked. Prints "worker NAME TID" per thread, "child PID" per child,
 * "slowest child MS ms" and "parent PID"; exits 1 if a child hung or
 * failed.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

enum {
	CHILD_BLOCKS = 9,
	CHILD_BLOCK_SIZE = 1111,
	CHILD_TIMEOUT_MS = 10000,
	DSO_BLOCKS = 4,
};

static atomic_int stop;
static const char *library;
static pthread_mutex_t shared_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t shared_rwlock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t token_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t token_moved = PTHREAD_COND_INITIALIZER;
static int token_holder;                /* 0 or 1: whose turn it is */
static pthread_mutex_t child_mutex = PTHREAD_MUTEX_INITIALIZER;   /* children only */
static void *child_blocks[CHILD_BLOCKS];
static volatile unsigned long shared_counter;

static void spin_briefly(void)
{
	for (int i = 0; i < 200; i++)
		shared_counter++;
}

NOINLINE static void *mutex_contender(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		pthread_mutex_lock(&shared_mutex);
		spin_briefly();
		pthread_mutex_unlock(&shared_mutex);
	}
	return NULL;
}

NOINLINE static void *rwlock_reader(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		pthread_rwlock_rdlock(&shared_rwlock);
		spin_briefly();
		pthread_rwlock_unlock(&shared_rwlock);
	}
	return NULL;
}

NOINLINE static void *rwlock_writer(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		pthread_rwlock_wrlock(&shared_rwlock);
		spin_briefly();
		pthread_rwlock_unlock(&shared_rwlock);
	}
	return NULL;
}

/* Waits (1 ms at a time, so stop is seen) until the token is side's. */
static void wait_for_token(int side)
{
	while (token_holder != side && !atomic_load(&stop)) {
		struct timespec deadline;
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += 1000000;
		if (deadline.tv_nsec >= 1000000000) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&token_moved, &token_mutex, &deadline);
	}
}

/* arg is the side, 0 or 1: takes the token when it is this side's turn
 * and hands it to the other. */
NOINLINE static void *token_passer(void *arg)
{
	int side = (int)(long)arg;
	while (!atomic_load(&stop)) {
		pthread_mutex_lock(&token_mutex);
		wait_for_token(side);
		token_holder = !side;
		pthread_cond_broadcast(&token_moved);
		pthread_mutex_unlock(&token_mutex);
	}
	return NULL;
}

NOINLINE static void *dlopen_cycler(void *arg)
{
	(void)arg;
	void *blocks[DSO_BLOCKS];
	while (!atomic_load(&stop)) {
		void *h = dlopen(library, RTLD_NOW | RTLD_LOCAL);
		if (!h) { fprintf(stderr, "dlopen: %s\n", dlerror()); exit(1); }
		void (*dso_alloc)(void **, int, size_t) =
			(void (*)(void **, int, size_t))dlsym(h, "dso_alloc");
		if (!dso_alloc) { fprintf(stderr, "dlsym: %s\n", dlerror()); exit(1); }
		dso_alloc(blocks, DSO_BLOCKS, 300);
		for (int i = 0; i < DSO_BLOCKS; i++)
			free(blocks[i]);
		dlclose(h);
	}
	return NULL;
}

NOINLINE static void *malloc_churner(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		void *volatile p = malloc(16 + (size_t)(rand() % 2048));
		free(p);   /* volatile: the pair is not elided */
	}
	return NULL;
}

NOINLINE static void child_work(void)
{
	for (int i = 0; i < CHILD_BLOCKS; i++)
		child_blocks[i] = malloc(CHILD_BLOCK_SIZE);
	__asm__ volatile("" : : "r"(child_blocks) : "memory");   /* kept: not elided */
}

static void child_main(void)
{
	child_work();
	pthread_mutex_lock(&child_mutex);
	pthread_mutex_unlock(&child_mutex);
	exit(0);   /* normal exit: the agent's exit snapshot runs */
}

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Prints the stacks of every thread of pid, run without the agent, and,
 * when its main thread waits on a glibc mutex, the mutex: __owner is the
 * thread that held it when the child was forked (a worker line's TID). */
static void print_stacks(pid_t pid)
{
	char cmd[512];
	if (system("command -v gdb >/dev/null 2>&1") != 0)
		return;
	snprintf(cmd, sizeof cmd,
	         "env -u LD_PRELOAD -u PPROF_AGENT gdb -batch -nx -p %d -ex 'thread apply all bt' "
	         "-ex 'thread 1' -ex 'frame function ___pthread_mutex_lock' -ex 'print *mutex' 2>&1",
	         (int)pid);
	fflush(stdout);
	if (system(cmd) != 0)
		printf("gdb failed on %d\n", (int)pid);
}

/* Waits for pid up to CHILD_TIMEOUT_MS; returns its run time in ms, or -1
 * after reporting it hung or failed. */
static int64_t wait_child(pid_t pid, int64_t started)
{
	int st;
	pid_t got;
	while ((got = waitpid(pid, &st, WNOHANG)) == 0) {
		if (now_ms() - started > CHILD_TIMEOUT_MS) {
			printf("child %d hung\n", (int)pid);
			print_stacks(pid);
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		usleep(500);
	}
	/* glibc (2.36 here) resets the loader's lock in the child without
	 * holding it across fork: a child forked while dlopen_cycler was
	 * inside dlclose can find the list of loaded objects half changed, and
	 * _dl_fini's assertion then ends it with status 127 at exit, after
	 * every exit handler (the agent's snapshot included) has run. It
	 * happens without the agent too; it is reported, not failed. */
	if (got == pid && WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		printf("child %d torn loader state\n", (int)pid);
		return now_ms() - started;
	}
	if (got != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("child %d failed (status 0x%x)\n", (int)pid, st);
		return -1;
	}
	return now_ms() - started;
}

/* The background threads, each with its argument and, once it runs, its
 * thread id. */
static struct worker {
	const char *name;
	void *(*fn)(void *);
	long arg;
	atomic_int tid;
} workers[] = {
#define WORKER(fn, arg) { #fn, fn, arg, 0 }
	WORKER(mutex_contender, 0), WORKER(mutex_contender, 0),
	WORKER(rwlock_reader, 0), WORKER(rwlock_writer, 0),
	WORKER(token_passer, 0), WORKER(token_passer, 1),
	WORKER(dlopen_cycler, 0),
	WORKER(malloc_churner, 0), WORKER(malloc_churner, 0),
#undef WORKER
};

#define NWORKERS (sizeof workers / sizeof workers[0])

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	atomic_store(&w->tid, (int)gettid());
	return w->fn((void *)w->arg);
}

/* Starts the workers and prints "worker NAME TID" for each: a lock owner
 * named in a hung child's diagnosis is one of these TIDs. */
static int start_workers(pthread_t *t)
{
	for (size_t i = 0; i < NWORKERS; i++)
		if (pthread_create(&t[i], NULL, worker_main, &workers[i]) != 0)
			return -1;
	for (size_t i = 0; i < NWORKERS; i++) {
		while (atomic_load(&workers[i].tid) == 0)
			sched_yield();
		printf("worker %s %d\n", workers[i].name, atomic_load(&workers[i].tid));
	}
	return 0;
}

/* Forks n children one after another; returns the slowest one's run time
 * in ms, or -1 when one hung or failed. */
static int64_t fork_children(int n)
{
	int64_t slowest = 0;
	for (int c = 0; c < n; c++) {
		fflush(stdout);
		int64_t started = now_ms();
		pid_t pid = fork();
		if (pid < 0) { perror("fork"); return -1; }
		if (pid == 0)
			child_main();
		printf("child %d\n", (int)pid);
		int64_t took = wait_child(pid, started);
		if (took < 0)
			return -1;
		if (took > slowest)
			slowest = took;
	}
	return slowest;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: prog_fork_storm LIBRARY [N]\n");
		return 2;
	}
	library = argv[1];
	pthread_t threads[NWORKERS];
	if (start_workers(threads) != 0) {
		fprintf(stderr, "pthread_create failed\n");
		return 1;
	}
	int64_t slowest = fork_children(argc == 3 ? atoi(argv[2]) : 200);
	atomic_store(&stop, 1);
	for (size_t i = 0; i < NWORKERS; i++)
		pthread_join(threads[i], NULL);
	if (slowest >= 0)
		printf("slowest child %lld ms\n", (long long)slowest);
	printf("parent %d\n", (int)getpid());
	return slowest < 0;
}
