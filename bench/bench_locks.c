/*
 * bench_locks.c — the lock microbenchmark: "uncontended" runs ITERS
 * lock/unlock pairs of one mutex on one thread; "handoff" has 2 threads
 * take turns on one mutex (contended); "queue" is a producer/consumer queue
 * of ITERS items on a mutex and two condition variables. Prints nanoseconds
 * per operation (pair, handoff or item), best of 5 rounds.
 * bench/bench-locks.sh runs it with and without the agent.
 * Usage: bench_locks uncontended|handoff|queue ITERS
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long iters;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
static volatile long counter;
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
	(void)arg;
	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(&m);
		counter++;
		pthread_mutex_unlock(&m);
	}
	return NULL;
}

static void *produce(void *arg)
{
	(void)arg;
	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(&m);
		while (queue_len == QUEUE_MAX)
			pthread_cond_wait(&not_full, &m);
		queue_len++;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&m);
	}
	return NULL;
}

static void *consume(void *arg)
{
	(void)arg;
	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(&m);
		while (queue_len == 0)
			pthread_cond_wait(&not_empty, &m);
		queue_len--;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&m);
	}
	return NULL;
}

static void run_pair(void *(*a)(void *), void *(*b)(void *))
{
	pthread_t ta, tb;
	pthread_create(&ta, NULL, a, NULL);
	pthread_create(&tb, NULL, b, NULL);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_locks uncontended|handoff|queue ITERS\n");
		return 2;
	}
	iters = atol(argv[2]);
	double best = 1e30;
	for (int round = 0; round < 5; round++) {
		double start = now();
		if (strcmp(argv[1], "uncontended") == 0)
			hammer(NULL);
		else if (strcmp(argv[1], "handoff") == 0)
			run_pair(hammer, hammer);
		else
			run_pair(produce, consume);
		double ns = (now() - start) / (double)iters;
		if (ns < best)
			best = ns;
	}
	printf("%.2f\n", best);
	return 0;
}
