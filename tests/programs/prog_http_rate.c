/*
 * prog_http_rate.c — for e2e_http_windows.sh: a program whose work over
 * any span of time can be read back from what it logs, so a profile over a
 * span (?seconds=N) can be checked against it whatever the machine's load.
 * Every round it appends "NANOS COUNT" to LOG: the wall clock
 * (CLOCK_REALTIME, as a profile's time_nanos) and its running count.
 *   heap  — keeps 20 blocks of 1 MiB (keep_live) and, each round, allocates
 *           and frees 1000 blocks of 1000 bytes in churn; COUNT is the
 *           bytes churn has allocated.
 *   locks — a second thread holds a mutex 5 ms at a time (hold_lock) while
 *           the main thread waits for it (wait_for_lock); COUNT is the
 *           waits that found it held.
 *   burn  — spins in burn; COUNT is its rounds.
 * Runs until STOPFILE exists, then exits 0.
 *   prog_http_rate heap|locks|burn LOG STOPFILE
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))
#define LIVE_BLOCKS 20

static void *live[LIVE_BLOCKS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int held, stopping, holds;

static long long wall_nanos(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

NOINLINE static void keep_live(void)
{
	for (int i = 0; i < LIVE_BLOCKS; i++)
		if (!(live[i] = malloc(1 << 20)))
			abort();
}

NOINLINE static unsigned long long churn(void)
{
	static void *volatile p;
	for (int i = 0; i < 1000; i++) {
		p = malloc(1000);
		free(p);
	}
	return 1000 * 1000;
}

NOINLINE static void hold_lock(void)
{
	pthread_mutex_lock(&lock);
	atomic_store(&held, 1);
	usleep(5000);
	atomic_store(&held, 0);
	pthread_mutex_unlock(&lock);
	atomic_fetch_add(&holds, 1);   /* the unlock is no tail call: it is charged here */
}

static void *holder(void *arg)
{
	(void)arg;
	while (!atomic_load(&stopping)) {
		hold_lock();
		usleep(5000);
	}
	return NULL;
}

/* 1 when the lock was held as we came (a wait), else 0. */
NOINLINE static unsigned long long wait_for_lock(void)
{
	while (!atomic_load(&held))
		usleep(200);
	int contended = pthread_mutex_trylock(&lock) != 0;
	if (contended)
		pthread_mutex_lock(&lock);
	pthread_mutex_unlock(&lock);
	return contended;
}

NOINLINE static unsigned long long burn(void)
{
	volatile unsigned long long x = 0;
	for (int i = 0; i < 2000000; i++)
		x += (unsigned long long)i * i;
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	unsigned long long (*round)(void) = strcmp(argv[1], "heap") == 0    ? churn
	                                    : strcmp(argv[1], "locks") == 0 ? wait_for_lock
	                                                                    : burn;
	FILE *log = fopen(argv[2], "w");
	if (!log)
		return 1;
	pthread_t t;
	if (round == churn)
		keep_live();
	if (round == wait_for_lock && pthread_create(&t, NULL, holder, NULL) != 0)
		return 1;
	unsigned long long count = 0;
	fprintf(log, "%lld %llu\n", wall_nanos(), count);
	while (access(argv[3], F_OK) != 0) {
		count += round();
		fprintf(log, "%lld %llu\n", wall_nanos(), count);
		fflush(log);
		if (round == churn)
			usleep(5000);
	}
	atomic_store(&stopping, 1);
	if (round == wait_for_lock)
		pthread_join(t, NULL);
	fclose(log);
	return 0;
}
