/*
 * bench_locks.c — the lock microbenchmark: "uncontended" runs ITERS
 * lock/unlock pairs of one mutex on one thread; "uncontended2" runs them on
 * 2 threads at once, each with its own mutex; "handoff" has 2 threads take
 * turns on one mutex (contended); "queue" is a producer/consumer queue
 * of ITERS items on a mutex and two condition variables. Prints nanoseconds
 * per operation (pair, handoff or item), best of 5 rounds.
 * bench/bench-locks.sh runs it with and without the agent.
 * Usage: bench_locks uncontended|uncontended2|handoff|queue ITERS
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long iters;
/* A mutex and the counter it guards, on a cache line of their own. */
struct guarded {
	_Alignas(64) pthread_mutex_t mutex;
	volatile long counter;
};
static struct guarded shared = { PTHREAD_MUTEX_INITIALIZER, 0 };
static struct guarded own = { PTHREAD_MUTEX_INITIALIZER, 0 };
static pthread_mutex_t *const m = &shared.mutex;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
static int queue_len;
#define QUEUE_MAX 64

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void *hammer(void *arg)
{
	struct guarded *g = arg;
	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(&g->mutex);
		g->counter++;
		pthread_mutex_unlock(&g->mutex);
	}
	return NULL;
}

static void *produce(void *arg)
{
	(void)arg;
	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(m);
		while (queue_len == QUEUE_MAX)
			pthread_cond_wait(&not_full, m);
		queue_len++;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(m);
	}
	return NULL;
}

static void *consume(void *arg)
{
	(void)arg;
	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(m);
		while (queue_len == 0)
			pthread_cond_wait(&not_empty, m);
		queue_len--;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(m);
	}
	return NULL;
}

static void run_pair(void *(*a)(void *), void *(*b)(void *), void *b_arg)
{
	pthread_t ta, tb;
	pthread_create(&ta, NULL, a, &shared);
	pthread_create(&tb, NULL, b, b_arg);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_locks uncontended|uncontended2|handoff|queue ITERS\n");
		return 2;
	}
	iters = atol(argv[2]);
	double best = 1e30;
	for (int round = 0; round < 5; round++) {
		double start = now();
		if (strcmp(argv[1], "uncontended") == 0)
			hammer(&shared);
		else if (strcmp(argv[1], "uncontended2") == 0)
			run_pair(hammer, hammer, &own);
		else if (strcmp(argv[1], "handoff") == 0)
			run_pair(hammer, hammer, &shared);
		else
			run_pair(produce, consume, NULL);
		double ns = (now() - start) / (double)iters;
		if (ns < best)
			best = ns;
	}
	printf("%.2f\n", best);
	return 0;
}
