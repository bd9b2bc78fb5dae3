/*
 * cpu_timers.c — on-CPU sampling by SIGPROF from per-thread CPU-time
 * timers (see cpu_timers.h).
 *
 * Each host thread gets a POSIX timer on its own CPU clock
 * (CLOCK_THREAD_CPUTIME_ID of that thread, made from its id for threads
 * other than the caller) that sends SIGPROF to that thread only
 * (SIGEV_THREAD_ID) every period: the clock advances only while the thread
 * runs, so a thread that waits is never interrupted. The handler
 * (SA_SIGINFO | SA_RESTART | SA_ONSTACK, every signal blocked while it
 * runs) acts only on our timers' signals (si_code SI_TIMER and our mark in
 * si_value) and only copies (cpu_signal_samples_take). The agent thread
 * drains the copies like the kernel's.
 *
 * Why SIGPROF: it is the profiling signal by convention (setitimer's
 * ITIMER_PROF, Go, gperftools), its default action ends the process, so a
 * program that uses it always installs a handler first (which the hooks
 * see), and as a standard signal at most one is pending per thread, so a
 * thread that cannot take it at once does not queue them. The real-time
 * signals are left to the C library and the program.
 *
 * The signal is claimed (signal_claims.h): the program's sigaction and
 * signal see the default action. A program that installs its own handler
 * gives it up: the release function disarms every timer before that
 * handler is in place, and the next drain stops the profile with one line;
 * a handler installed behind the hooks (the raw system call) is found at
 * the next drain. Once installed, the agent's handler stays while it holds
 * the signal, even after the profile stops, so that a timer's last signal
 * never meets the default action.
 *
 * Timer slots: FREE, BUSY (being made, disarmed or deleted by one thread),
 * ARMED, DISARMED. Every change goes through a compare-and-swap from ARMED
 * or FREE, so a thread's end, the stop and the release never delete or
 * disarm the same timer twice.
 */
#include "cpu_timers.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cpu_record.h"
#include "cpu_signal_samples.h"
#include "ending.h"
#include "host_threads.h"
#include "runtime.h"
#include "signal_claims.h"

#define TIMER_SLOTS 1024        /* threads sampled at once */
#define TIMER_MARK 0x70726f66   /* si_value of our timers' signals */

enum { T_FREE, T_BUSY, T_ARMED, T_DISARMED };

struct timer_slot {
	atomic_int state;
	int id;          /* the kernel's timer id */
};

static struct timer_slot timers[TIMER_SLOTS];
static atomic_int sampling;
static atomic_int taken;        /* the program took the signal */
static __thread int my_timer = -1;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	if (si && si->si_code == SI_TIMER && si->si_value.sival_int == TIMER_MARK &&
	    atomic_load_explicit(&sampling, memory_order_relaxed))
		cpu_signal_samples_take(uc, 1 + (uint32_t)(si->si_overrun > 0 ? si->si_overrun : 0));
}

/* The CPU clock of thread tid of this process (the kernel's encoding of
 * pthread_getcpuclockid's clocks: per-thread, scheduler time). */
static clockid_t thread_clock(pid_t tid)
{
	return (clockid_t)((~(unsigned)tid << 3) | 4 | 2);
}

static int set_time(int id, int64_t every_ns)
{
	struct itimerspec t;
	t.it_interval.tv_sec = every_ns / 1000000000;
	t.it_interval.tv_nsec = every_ns % 1000000000;
	t.it_value = t.it_interval;
	return (int)syscall(SYS_timer_settime, id, 0, &t, NULL);
}

/* Makes and arms tid's timer in a free slot; the slot, or -1. */
static int timer_open(pid_t tid)
{
	for (int i = 0; i < TIMER_SLOTS; i++) {
		int none = T_FREE;
		if (!atomic_compare_exchange_strong(&timers[i].state, &none, T_BUSY))
			continue;
		struct sigevent ev;
		memset(&ev, 0, sizeof ev);
		ev.sigev_notify = SIGEV_THREAD_ID;
		ev.sigev_signo = CPU_TIMERS_SIGNAL;
		ev.sigev_value.sival_int = TIMER_MARK;
		ev._sigev_un._tid = tid;
		int id;
		if (syscall(SYS_timer_create, thread_clock(tid), &ev, &id) != 0) {
			atomic_store(&timers[i].state, T_FREE);
			return -1;
		}
		timers[i].id = id;
		if (set_time(id, cpu_record_period()) != 0) {
			syscall(SYS_timer_delete, id);
			atomic_store(&timers[i].state, T_FREE);
			return -1;
		}
		atomic_store(&timers[i].state, T_ARMED);
		return i;
	}
	errno = EMFILE;
	return -1;
}

/* Deletes slot i's timer, armed or not. */
static void timer_close(int i)
{
	for (int from = T_ARMED; from <= T_DISARMED; from++) {
		int s = from;
		if (atomic_compare_exchange_strong(&timers[i].state, &s, T_BUSY)) {
			syscall(SYS_timer_delete, timers[i].id);
			atomic_store(&timers[i].state, T_FREE);
			return;
		}
	}
}

/* The program takes the signal: no timer of ours may send it from now on
 * (in the program's sigaction call: system calls only). */
static void on_release(int sig)
{
	(void)sig;
	atomic_store(&taken, 1);
	for (int i = 0; i < TIMER_SLOTS; i++) {
		int s = T_ARMED;
		if (!atomic_compare_exchange_strong(&timers[i].state, &s, T_BUSY))
			continue;
		set_time(timers[i].id, 0);
		atomic_store(&timers[i].state, T_DISARMED);
	}
}

static void open_thread(pid_t tid)
{
	timer_open(tid);
}

/* Claims the signal for on_signal, where the program has left it at its
 * default action. */
static int claim_signal(void)
{
	if (signal_claimed(CPU_TIMERS_SIGNAL) == on_signal)
		return 0;
	signal_claim_on_release(CPU_TIMERS_SIGNAL, on_release);
	ending_claim(CPU_TIMERS_SIGNAL, on_signal, SA_RESTART | SA_ONSTACK);
	return signal_claimed(CPU_TIMERS_SIGNAL) == on_signal ? 0 : -1;
}

int cpu_timers_start(void)
{
	if (cpu_signal_samples_init() != 0) {
		agent_log("cpu profile: no memory for the samples: no cpu profile");
		return -1;
	}
	if (claim_signal() != 0) {
		agent_log("cpu profile: the program has its own " CPU_TIMERS_SIGNAL_NAME
		          " disposition: no cpu profile");
		return -1;
	}
	if (!cpu_signal_samples_stack_readable())
		agent_debug("cpu profile: process_vm_readv is refused: the samples hold the "
		            "interrupted function only");
	atomic_store(&taken, 0);
	atomic_store(&sampling, 1);
	my_timer = timer_open(gettid());
	if (my_timer < 0) {
		agent_log("cpu profile: no CPU-time timer (timer_create: %s): no cpu profile",
		          strerror(errno));
		atomic_store(&sampling, 0);
		return -1;
	}
	host_threads_each(open_thread);
	return 0;
}

void cpu_timers_stop(void)
{
	atomic_store(&sampling, 0);
	for (int i = 0; i < TIMER_SLOTS; i++)
		timer_close(i);
	my_timer = -1;
}

void cpu_timers_thread_begins(void)
{
	if (!atomic_load(&sampling))
		return;
	my_timer = timer_open(gettid());
	/* A stop between the check and the timer: the timer goes too. */
	if (my_timer >= 0 && !atomic_load(&sampling)) {
		timer_close(my_timer);
		my_timer = -1;
	}
}

void cpu_timers_thread_ends(void)
{
	if (my_timer >= 0)
		timer_close(my_timer);
	my_timer = -1;
}

/* Whether the agent's handler is still the signal's real disposition. */
static int still_ours(void)
{
	struct sigaction now;
	return signal_claimed(CPU_TIMERS_SIGNAL) == on_signal &&
	       sigaction(CPU_TIMERS_SIGNAL, NULL, &now) == 0 && (now.sa_flags & SA_SIGINFO) &&
	       now.sa_sigaction == on_signal;
}

int cpu_timers_drain(void)
{
	cpu_signal_samples_drain((uint64_t)cpu_record_period());
	if (!atomic_load(&sampling) || (!atomic_load(&taken) && still_ours()))
		return 0;
	if (!atomic_load(&taken))
		on_release(CPU_TIMERS_SIGNAL);
	agent_log("cpu profile: the program installed its own " CPU_TIMERS_SIGNAL_NAME
	          " handler: cpu profiling stops");
	return -1;
}

int64_t cpu_timers_drain_period(int64_t hz)
{
	/* Half the time the buffers take to fill with four threads running. */
	return (int64_t)cpu_signal_samples_capacity() * 1000000000 / (4 * hz) / 2;
}

void cpu_timers_after_fork_child(void)
{
	/* The parent's timers are not the child's: its one thread gets its own. */
	for (int i = 0; i < TIMER_SLOTS; i++)
		atomic_store(&timers[i].state, T_FREE);
	cpu_signal_samples_reset();
	my_timer = -1;
	if (atomic_load(&sampling) && !atomic_load(&taken))
		my_timer = timer_open(gettid());
}
