/*
 * prog_wait.c — a small single-threaded host program for the robustness
 * tests: it allocates 40 blocks of 1000 bytes in wait_alloc (kept), prints
 * a line, then waits until MS milliseconds have passed or STOPFILE exists,
 * allocating and freeing one small block every 10 ms while it waits (at
 * mem_rate=1 each is a sampled event, where a single-threaded program takes
 * the snapshots that fall due), and exits with STATUS.
 *   prog_wait MS STATUS [STOPFILE]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static void *kept[40];

NOINLINE static void wait_alloc(void)
{
	for (int i = 0; i < 40; i++) {
		kept[i] = malloc(1000);
		if (!kept[i]) abort();
	}
}

NOINLINE static void tick(void)
{
	void *volatile p = malloc(24);
	free(p);
}

int main(int argc, char **argv)
{
	long ms = argc > 1 ? atol(argv[1]) : 0;
	int status = argc > 2 ? atoi(argv[2]) : 0;
	const char *stop = argc > 3 ? argv[3] : NULL;
	struct timespec t0, now;
	wait_alloc();
	printf("prog_wait %d running\n", (int)getpid());
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long el = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
		if (el >= ms || (stop && access(stop, F_OK) == 0))
			break;
		tick();
		usleep(10000);
	}
	printf("prog_wait done\n");
	return status;
}
