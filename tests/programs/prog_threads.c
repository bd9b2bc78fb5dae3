/*
 * prog_threads.c — heap sampling from many threads, for e2e_threads.sh
 * (mem_rate=1, so every count below must show exactly):
 *  - eight threads start together (a barrier) and each allocates in its
 *    own function worker_N: 10*(N+1) blocks of 100*(N+1) bytes, frees the
 *    first half and keeps the rest;
 *  - four threads run exit_holder: 25 blocks of 256 bytes each, kept in a
 *    global array, and EXIT while the memory is live; main then frees it
 *    all in free_orphans, so exit_holder's in-use figures must be 0.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))
#define NWORKERS 8
#define NHOLDERS 4
#define HOLD_EACH 25

static pthread_barrier_t start;
static void *kept[NWORKERS][80];
static void *orphans[NHOLDERS][HOLD_EACH];

/* The body is a macro, not a function, so the malloc calls sit in
 * worker_N itself (an inlined helper would show as its own frame). */
#define WORK(n)                                                         \
	do {                                                            \
		int count = 10 * ((n) + 1);                             \
		size_t size = 100 * (size_t)((n) + 1);                  \
		void *p[80];                                            \
		for (int i = 0; i < count; i++) {                       \
			p[i] = malloc(size);                            \
			if (!p[i]) abort();                             \
		}                                                       \
		for (int i = 0; i < count / 2; i++) free(p[i]);         \
		for (int i = count / 2; i < count; i++) kept[n][i] = p[i]; \
	} while (0)

/* One function per thread so each shows as its own node in the profile. */
#define WORKER(n)                                                       \
	NOINLINE static void *worker_##n(void *arg)                     \
	{                                                               \
		(void)arg;                                              \
		pthread_barrier_wait(&start);                           \
		WORK(n);                                                \
		return NULL;                                            \
	}
WORKER(0) WORKER(1) WORKER(2) WORKER(3) WORKER(4) WORKER(5) WORKER(6) WORKER(7)

NOINLINE static void *exit_holder(void *arg)
{
	int id = (int)(long)arg;
	for (int i = 0; i < HOLD_EACH; i++) {
		orphans[id][i] = malloc(256);
		if (!orphans[id][i]) abort();
	}
	__asm__ volatile("" ::: "memory");
	pthread_exit(NULL);
}

NOINLINE static void free_orphans(void)
{
	for (int t = 0; t < NHOLDERS; t++)
		for (int i = 0; i < HOLD_EACH; i++)
			free(orphans[t][i]);
}

int main(void)
{
	void *(*fns[NWORKERS])(void *) = { worker_0, worker_1, worker_2, worker_3,
	                                   worker_4, worker_5, worker_6, worker_7 };
	pthread_t w[NWORKERS], h[NHOLDERS];
	pthread_barrier_init(&start, NULL, NWORKERS);
	for (int i = 0; i < NWORKERS; i++)
		if (pthread_create(&w[i], NULL, fns[i], NULL) != 0) return 1;
	for (int i = 0; i < NHOLDERS; i++)
		if (pthread_create(&h[i], NULL, exit_holder, (void *)(long)i) != 0) return 1;
	for (int i = 0; i < NWORKERS; i++) pthread_join(w[i], NULL);
	for (int i = 0; i < NHOLDERS; i++) pthread_join(h[i], NULL);
	free_orphans();
	printf("done\n");
	return 0;
}
