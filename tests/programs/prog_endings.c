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
 *   prog_endings query     prints what sigaction reports for SIGINT,
 *                          SIGTERM, SIGSEGV and SIGABRT ("default" or
 *                          "other") before waiting
 *   prog_endings behind    installs its own SIGTERM handler (exits 3)
 *                          with sysv_signal, which does not go through
 *                          sigaction's symbol, and prints what sigaction
 *                          reports for SIGTERM before waiting
 * and programs that end by themselves, without "ready":
 *   prog_endings _exit N   calls _exit(N)
 *   prog_endings _Exit N   calls _Exit(N)
 *   prog_endings _exit_in_handler
 *                          its SIGUSR1 handler calls _exit(6); raises it
 *   prog_endings abort     calls abort()
 *   prog_endings segv | bus | ill | fpe
 *                          a fault: writes through a null pointer, reads
 *                          past the end of a mapped empty file, runs ud2,
 *                          divides by zero
 *   prog_endings segv_thread
 *                          the same fault in a second thread
 *   prog_endings segv_later
 *                          sleeps 300 ms and allocates once more (a
 *                          periodic snapshot falls due and is written)
 *                          before the fault
 *   prog_endings own_segv  its own SIGSEGV handler prints "own handler",
 *                          puts the default action back and raises it
 *   prog_endings ignored_abrt
 *                          ignores SIGABRT, raises it, and returns 0
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
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

static void exit_in_handler(int sig)
{
	(void)sig;
	_exit(6);
}

static void own_segv_handler(int sig)
{
	static const char text[] = "own handler\n";
	if (write(STDOUT_FILENO, text, sizeof text - 1) < 0)
		_exit(4);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The faults, each in its own way. */
NOINLINE static void fault(const char *how)
{
	if (strcmp(how, "segv") == 0)
		*(volatile int *)(uintptr_t)sink = 1;   /* sink is 0 */
	if (strcmp(how, "bus") == 0) {
		FILE *f = tmpfile();
		volatile char *p = f ? mmap(NULL, 4096, PROT_READ, MAP_SHARED, fileno(f), 0) : NULL;
		if (p && p != MAP_FAILED)
			sink = p[0];
	}
	if (strcmp(how, "ill") == 0)
		__builtin_trap();
	if (strcmp(how, "fpe") == 0) {
		volatile int zero = (int)sink, thousand = 1000;
		sink = (unsigned long)(thousand / zero);
	}
	printf("no fault\n");
	exit(1);
}

static void *fault_thread(void *arg)
{
	fault(arg);
	return NULL;
}

/* Modes that end the program by themselves; returns only for another. */
static void end_by_itself(const char *mode, const char *arg)
{
	pthread_t t;
	if (strcmp(mode, "_exit") == 0)
		_exit(atoi(arg));
	if (strcmp(mode, "_Exit") == 0)
		_Exit(atoi(arg));
	if (strcmp(mode, "_exit_in_handler") == 0) {
		signal(SIGUSR1, exit_in_handler);
		raise(SIGUSR1);
	}
	if (strcmp(mode, "abort") == 0)
		abort();
	if (strcmp(mode, "segv_thread") == 0 && pthread_create(&t, NULL, fault_thread, "segv") == 0)
		pthread_join(t, NULL);
	if (strcmp(mode, "segv_later") == 0) {
		struct timespec t300 = { 0, 300 * 1000 * 1000 };
		nanosleep(&t300, NULL);
		kept[0] = realloc(kept[0], 1000);
		fault("segv");
	}
	if (strcmp(mode, "own_segv") == 0) {
		signal(SIGSEGV, own_segv_handler);
		fault("segv");
	}
	if (strcmp(mode, "ignored_abrt") == 0) {
		signal(SIGABRT, SIG_IGN);
		raise(SIGABRT);
		exit(0);
	}
	if (strcmp(mode, "segv") == 0 || strcmp(mode, "bus") == 0 || strcmp(mode, "ill") == 0 ||
	    strcmp(mode, "fpe") == 0)
		fault(mode);
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
	end_by_itself(mode, argc > 2 ? argv[2] : "0");
	if (strcmp(mode, "query") == 0)
		printf("SIGINT %s SIGTERM %s SIGSEGV %s SIGABRT %s\n", shown(SIGINT), shown(SIGTERM),
		       shown(SIGSEGV), shown(SIGABRT));
	if (strcmp(mode, "handler") == 0)
		signal(SIGTERM, own_handler);
	if (strcmp(mode, "behind") == 0) {
		sysv_signal(SIGTERM, own_handler);
		printf("SIGTERM %s\n", shown(SIGTERM));
	}
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
