/*
 * bench_stacks.c — the many-stacks benchmark: makes N distinct call stacks
 * allocate (16 bytes each, kept live), then times one snapshot of the
 * agent. Allocation i descends through one frame per decimal digit of i,
 * all numbers padded to the same width, and each digit has its own
 * function, so every i reaches malloc by a different path. Run under the
 * agent at mem_rate=1 every stack becomes a bucket. pprof_snapshot is looked
 * up at run time, so the program also runs without the agent (it then
 * prints 0). Prints the milliseconds the snapshot took, and on stderr the
 * memory figures that do not depend on the machine's load: the resident
 * set before the snapshot, the page faults the snapshot took, and the peak
 * resident set after it.
 * bench/stacks.sh runs it for 1k to 1M stacks and reads its peak memory.
 * With "warm", one snapshot is taken first and the second is timed: the
 * symbolizer has met every PC, as in a long-running program's periodic
 * snapshots.
 * Usage: bench_stacks N [warm]
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench_mem.h"

static void *descend(const char *digits);

/* Keeps each step's call from being a tail call, so its frame stays. */
static volatile unsigned steps_taken;

#define STEP(k)                                                     \
	__attribute__((noinline)) static void *step##k(const char *d) \
	{                                                             \
		void *p = descend(d + 1);                             \
		steps_taken += k + 1;                                 \
		return p;                                             \
	}
STEP(0) STEP(1) STEP(2) STEP(3) STEP(4) STEP(5) STEP(6) STEP(7) STEP(8) STEP(9)

static void *(*const step[10])(const char *) = {
	step0, step1, step2, step3, step4, step5, step6, step7, step8, step9,
};

static void *descend(const char *digits)
{
	if (*digits == '\0')
		return malloc(16);
	return step[*digits - '0'](digits);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	int warm = argc == 3 && strcmp(argv[2], "warm") == 0;
	if ((argc != 2 && !warm) || atol(argv[1]) < 1) {
		fprintf(stderr, "usage: bench_stacks N [warm]\n");
		return 2;
	}
	long n = atol(argv[1]);
	int width = snprintf(NULL, 0, "%ld", n - 1);
	void **live = malloc((size_t)n * sizeof *live);
	char digits[32];
	for (long i = 0; i < n; i++) {
		snprintf(digits, sizeof digits, "%0*ld", width, i);
		live[i] = descend(digits);
	}
	int (*snapshot)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "pprof_snapshot");
	double ms = 0;
	if (snapshot && warm && snapshot() != 0)
		perror("bench_stacks: pprof_snapshot");
	long rss_before = status_kib("VmRSS"), faults = minor_faults();
	if (snapshot) {
		double start = now_ms();
		if (snapshot() != 0)
			perror("bench_stacks: pprof_snapshot");
		ms = now_ms() - start;
	}
	faults = minor_faults() - faults;
	printf("%.1f\n", ms);
	fprintf(stderr, "bench_stacks: rss before snapshot %ld KiB, snapshot page faults %ld, peak rss %ld KiB\n",
	        rss_before, faults, status_kib("VmHWM"));
	for (long i = 0; i < n; i++)
		free(live[i]);
	free(live);
	return 0;
}
