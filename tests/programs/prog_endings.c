/*
 * prog_endings.c — programs that are ended by a signal, for
 * e2e_endings.sh. Each allocates 5 x 1000 B in ending_alloc (kept), prints
 * "ready" and then waits to be ended:
 *   prog_endings sleep     one thread, asleep in nanosleep
 *   prog_endings spin      one thread, computing in its own code
 *   prog_endings threads   a second thread asleep too (the agent's thread
 *                          runs), main asleep in pause
 *   prog_endings handler   its own SIGTERM handler, which prints "own
 *                          handler" and exits 3
 *   prog_endings query     prints what sigaction reports for SIGINT and
 *                          SIGTERM ("default" or "other") before waiting
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static void *volatile kept[5];
static volatile unsigned long sink;

NOINLINE static void ending_alloc(void)
{
	for (int i = 0; i < 5; i++)
		kept[i] = malloc(1000);
}

static void nap_forever(void)
{
	for (;;) {
		struct timespec t = { 1, 0 };
		nanosleep(&t, NULL);
	}
}

static void *sleeper(void *arg)
{
	nap_forever();
	return arg;
}

static void own_handler(int sig)
{
	(void)sig;
	static const char text[] = "own handler\n";
	if (write(STDOUT_FILENO, text, sizeof text - 1) < 0)
		_exit(4);
	_exit(3);
}

static const char *shown(int sig)
{
	struct sigaction now;
	if (sigaction(sig, NULL, &now) != 0)
		return "error";
	return !(now.sa_flags & SA_SIGINFO) && now.sa_handler == SIG_DFL ? "default" : "other";
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "sleep";
	pthread_t t;
	ending_alloc();
	if (strcmp(mode, "query") == 0)
		printf("SIGINT %s SIGTERM %s\n", shown(SIGINT), shown(SIGTERM));
	if (strcmp(mode, "handler") == 0)
		signal(SIGTERM, own_handler);
	if (strcmp(mode, "threads") == 0 && pthread_create(&t, NULL, sleeper, NULL) != 0)
		return 2;
	printf("ready\n");
	fflush(stdout);
	if (strcmp(mode, "spin") == 0)
		for (;;)
			sink++;
	if (strcmp(mode, "threads") == 0)
		for (;;)
			pause();
	nap_forever();
	return 0;
}
