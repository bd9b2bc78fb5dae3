/*
 * bench_malloc.c — the malloc/free microbenchmark: THREADS threads each run
 * ITERS malloc+free pairs over a sliding window of 1024 live objects, with
 * either small sizes (16..128 B) or mixed sizes (16 B..64 KiB). Prints the
 * nanoseconds per malloc+free pair (best of 5 rounds). bench/bench-malloc.sh
 * runs it with and without the agent and prints the ratios.
 * Usage: bench_malloc small|mixed THREADS ITERS
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WINDOW 1024

static int mixed;
static long iters;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void *run(void *arg)
{
	uint64_t x = 0x9e3779b97f4a7c15ull * ((uintptr_t)arg + 1);
	void *window[WINDOW] = { 0 };
	for (long i = 0; i < iters; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		size_t size = mixed ? (x % 8 == 0 ? 16 + x % 65520 : 16 + x % 496) : 16 + x % 113;
		size_t slot = (size_t)i % WINDOW;
		free(window[slot]);
		window[slot] = malloc(size);
		*(volatile char *)window[slot] = 1;
	}
	for (size_t i = 0; i < WINDOW; i++)
		free(window[i]);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bench_malloc small|mixed THREADS ITERS\n");
		return 2;
	}
	mixed = strcmp(argv[1], "mixed") == 0;
	int threads = atoi(argv[2]);
	iters = atol(argv[3]);
	pthread_t t[64];
	double best = 1e30;
	for (int round = 0; round < 5; round++) {
		double start = now();
		for (int i = 0; i < threads; i++)
			pthread_create(&t[i], NULL, run, (void *)(uintptr_t)i);
		for (int i = 0; i < threads; i++)
			pthread_join(t[i], NULL);
		double ns = (now() - start) / (double)iters;
		if (ns < best)
			best = ns;
	}
	printf("%.2f\n", best);
	return 0;
}
