/*
 * prog_http_work.c — for e2e_http_abuse.sh: a host doing known work while
 * clients hammer the agent's endpoint. ROUNDS rounds, each allocating a
 * block of 4000 bytes, filling it from a linear congruential sequence,
 * summing it and freeing it; prints "sum S ms T" (S the sum of every
 * round, which depends only on ROUNDS; T the wall time it took), then
 * waits until STOPFILE exists and exits with status 3.
 *   prog_http_work ROUNDS STOPFILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

NOINLINE static unsigned long long one_round(unsigned long long seed)
{
	unsigned *v = malloc(1000 * sizeof *v);
	if (!v)
		abort();
	unsigned long long sum = 0;
	for (int i = 0; i < 1000; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		v[i] = (unsigned)(seed >> 33);
	}
	for (int i = 0; i < 1000; i++)
		sum += v[i];
	free(v);
	return sum;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	unsigned long long sum = 0;
	for (long r = 0; r < rounds; r++)
		sum += one_round((unsigned long long)r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	printf("sum %llu ms %ld\n", sum, ms);
	fflush(stdout);
	while (argc > 2 && access(argv[2], F_OK) != 0)
		usleep(20000);
	return 3;
}
