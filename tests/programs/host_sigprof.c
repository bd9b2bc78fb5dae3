/*
 * host_sigprof.c — a program with its own SIGPROF handler, for
 * e2e_cpu_host.sh (the cpu profile's signal, cpu_timer=signal):
 *   host_sigprof takeover — main and a second thread burn CPU in
 *       burn_before (sampled by the agent), then main asks what SIGPROF's
 *       disposition is, installs its own handler and sends itself SIGPROF
 *       every 5 ms from a timer of its own while both threads burn CPU in
 *       burn_after; prints "default D own N stray S": D 1 when the first
 *       question saw the default action, N the signals its handler got
 *       from its own timer (known by its mark), S those it got from another
 *       timer (the agent's: at most one pending on the other thread when it
 *       took the signal). The timer runs on the monotonic clock: a
 *       process CPU-time timer (setitimer ITIMER_PROF) delivers almost
 *       nothing on a heavily loaded machine, with or without the agent.
 *   host_sigprof behind — the same, with the handler installed by sigset,
 *       which glibc does without calling sigaction, so the agent's hooks do
 *       not see it (the agent finds it at its next drain): prints
 *       "default D signals N", every SIGPROF its handler got.
 *   host_sigprof before — installs its handler first, then calls
 *       pprof_start_cpu_profile (looked up at run time), which must fail;
 *       profiles itself as above; prints "start refused R own N".
 * Each thread's CPU time comes from its own CPU clock.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static atomic_int own, stray, phase;
static volatile uint64_t sink;

static int64_t thread_cpu_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void spin_for(int64_t cpu_ns)
{
	int64_t until = thread_cpu_ns() + cpu_ns;
	while (thread_cpu_ns() < until)
		for (int i = 0; i < 10000; i++)
			sink += (uint64_t)i * 7;
}

static __attribute__((noinline)) void burn_before(int64_t ns)
{
	spin_for(ns);
}

static __attribute__((noinline)) void burn_after(int64_t ns)
{
	spin_for(ns);
}

#define OWN_MARK 0x50524f46   /* the program's own timer's si_value */

static void on_sigprof(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	int mine = si->si_code == SI_TIMER && si->si_value.sival_int == OWN_MARK;
	atomic_fetch_add(mine ? &own : &stray, 1);
}

static void on_sigprof_plain(int sig)
{
	(void)sig;
	atomic_fetch_add(&own, 1);
}

static void *second(void *arg)
{
	(void)arg;
	burn_before(300000000);
	while (atomic_load(&phase) == 0)
		sink++;
	burn_after(300000000);
	return NULL;
}

static void install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigprof;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPROF, &sa, NULL);
}

/* sigset: old, but glibc installs it without calling sigaction. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static void install_behind(void)
{
	sigset(SIGPROF, on_sigprof_plain);
}
#pragma GCC diagnostic pop

static void own_timer(int on)
{
	static timer_t t;
	if (on) {
		struct sigevent ev;
		memset(&ev, 0, sizeof ev);
		ev.sigev_notify = SIGEV_SIGNAL;
		ev.sigev_signo = SIGPROF;
		ev.sigev_value.sival_int = OWN_MARK;
		timer_create(CLOCK_MONOTONIC, &ev, &t);
		struct itimerspec every = { { 0, 5000000 }, { 0, 5000000 } };
		timer_settime(t, 0, &every, NULL);
	} else {
		timer_delete(t);
	}
}

int main(int argc, char **argv)
{
	int behind = argc >= 2 && strcmp(argv[1], "behind") == 0;
	if (argc >= 2 && (strcmp(argv[1], "takeover") == 0 || behind)) {
		pthread_t t;
		pthread_create(&t, NULL, second, NULL);
		burn_before(300000000);
		struct sigaction old;
		sigaction(SIGPROF, NULL, &old);
		int dfl = !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_DFL;
		if (behind)
			install_behind();
		else
			install();
		own_timer(1);
		atomic_store(&phase, 1);
		burn_after(300000000);
		pthread_join(t, NULL);
		own_timer(0);
		if (behind)
			printf("default %d signals %d\n", dfl, atomic_load(&own));
		else
			printf("default %d own %d stray %d\n", dfl, atomic_load(&own),
			       atomic_load(&stray));
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "before") == 0) {
		install();
		int (*start)(int) = (int (*)(int))dlsym(RTLD_DEFAULT, "pprof_start_cpu_profile");
		int refused = start != NULL && start(1) != 0;
		own_timer(1);
		burn_after(300000000);
		own_timer(0);
		printf("start refused %d own %d\n", refused, atomic_load(&own));
		return 0;
	}
	fprintf(stderr, "usage: host_sigprof takeover | behind | before\n");
	return 2;
}
