/*
 * host_signal_malloc.c — a signal handler that allocates (not
 * async-signal-safe, but common), fired about 20 000 times a second while
 * three threads allocate and free, for e2e_host_deadlocks.sh. The handler
 * goes to the allocating threads (the main thread blocks it), so it
 * interrupts them anywhere, including inside the agent's free path.
 * Runs for MS milliseconds and prints "handled N" (N > 0).
 *   host_signal_malloc MS
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static atomic_int stop;
static atomic_long handled;

/* 24 bytes, a size the threads never use: glibc serves it from the
 * thread's cache without a lock, so the handler is safe enough without the
 * agent, as such handlers in the wild usually are. */
static void on_alarm(int sig)
{
	(void)sig;
	void *volatile p = malloc(24);
	free(p);
	atomic_fetch_add(&handled, 1);
}

static void *churn(void *arg)
{
	unsigned x = (unsigned)(uintptr_t)&x;
	while (!atomic_load(&stop)) {
		x = x * 1103515245u + 12345u;
		void *volatile p = malloc(128 + (x >> 16) % 512);
		free(p);
	}
	return arg;
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	long ms = argc > 1 ? atol(argv[1]) : 2000;
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, churn, NULL);
	/* The signals go to the allocating threads, never to this one. */
	sigset_t alarm;
	sigemptyset(&alarm);
	sigaddset(&alarm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alarm, NULL);
	struct itimerval every = { { 0, 20 }, { 0, 20 } };
	setitimer(ITIMER_REAL, &every, NULL);
	long end = now_ms() + ms;
	while (now_ms() < end)
		usleep(1000);
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	atomic_store(&stop, 1);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("handled %ld\n", atomic_load(&handled));
	return atomic_load(&handled) > 0 ? 0 : 1;
}
