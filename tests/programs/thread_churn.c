/*
 * thread_churn.c — threads that come and go while the threads kind takes
 * snapshots: ROUNDS rounds (argument 1, default 400), each starting eight
 * threads that wait 1 ms in nanosleep and end; four of them run on stacks
 * the program maps itself and unmaps as soon as it has joined them, so a
 * snapshot may find a thread whose stack is gone or going. Prints
 * "rounds N threads M" when done.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define PER_ROUND 8
#define OWN_STACK (256 * 1024)

static void *short_life(void *arg)
{
	(void)arg;
	struct timespec t = { 0, 1000000 };
	nanosleep(&t, NULL);
	return NULL;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 400, started = 0;
	for (int r = 0; r < rounds; r++) {
		pthread_t th[PER_ROUND];
		void *stacks[PER_ROUND] = { 0 };
		for (int i = 0; i < PER_ROUND; i++) {
			pthread_attr_t attr;
			pthread_attr_init(&attr);
			if (i % 2) {
				stacks[i] = mmap(NULL, OWN_STACK, PROT_READ | PROT_WRITE,
				                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
				if (stacks[i] == MAP_FAILED)
					return 1;
				pthread_attr_setstack(&attr, stacks[i], OWN_STACK);
			}
			if (pthread_create(&th[i], &attr, short_life, NULL) != 0)
				return 1;
			pthread_attr_destroy(&attr);
			started++;
		}
		for (int i = 0; i < PER_ROUND; i++) {
			pthread_join(th[i], NULL);
			if (stacks[i])
				munmap(stacks[i], OWN_STACK);
		}
	}
	printf("rounds %d threads %d\n", rounds, started);
	return 0;
}
