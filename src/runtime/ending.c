/*
 * ending.c — the final profile on SIGTERM and SIGINT (see ending.h).
 */
#include "ending.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "agent_thread.h"
#include "next_alloc.h"
#include "runtime.h"
#include "signal_claims.h"
#include "snapshot.h"
#include "unwind.h"

static const int ending_signals[] = { SIGTERM, SIGINT };

/* The signal ending the process (0: none yet), and the futex word the
 * agent's thread sets once the final snapshot is written. */
static atomic_int ending_signal;
static atomic_int final_written;

static const char *signal_name(int sig)
{
	return sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT" : "the signal";
}

/* Ends the process by sig with the default action: the agent's handler
 * is taken away, and sig, raised again while the handler still blocks it,
 * is delivered the moment it is unblocked. */
static __attribute__((noreturn)) void end_by(int sig)
{
	struct sigaction dfl;
	sigset_t only;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	agent_enter();
	signal_claim(sig, NULL);
	sigaction(sig, &dfl, NULL);
	agent_leave();
	raise(sig);
	sigemptyset(&only);
	sigaddset(&only, sig);
	pthread_sigmask(SIG_UNBLOCK, &only, NULL);
	agent_enter();   /* the exit hook has nothing to say */
	_exit(128 + sig);
}

/* Waits up to ms for the agent's thread to write the final snapshot. */
static int wait_for_final(int ms)
{
	for (int waited = 0; waited < ms && !atomic_load(&final_written); waited += 100) {
		struct timespec step = { 0, 100 * 1000 * 1000 };
		syscall(SYS_futex, &final_written, FUTEX_WAIT_PRIVATE, 0, &step, NULL, 0);
	}
	return atomic_load(&final_written);
}

/* Code that may hold a lock the snapshot needs while it runs: the C
 * library, the loader, the C++ runtime, the allocator and the agent. 1
 * with its first address in *start when pc lies in such code. */
static int in_busy_code(uintptr_t pc, uintptr_t *start)
{
	static const char *const busy[] = { "libc.so", "ld-linux", "libgcc_s", "libstdc++",
		                            "libpthread" };
	struct dl_find_object o, allocator;
	if (_dl_find_object((void *)pc, &o) != 0)
		return 0;   /* not in any object: generated code of the program */
	*start = (uintptr_t)o.dlfo_map_start;
	if (unwind_in_agent(pc) ||
	    (next_alloc_ready() &&
	     _dl_find_object((void *)(uintptr_t)next_alloc.malloc, &allocator) == 0 &&
	     allocator.dlfo_map_start == o.dlfo_map_start))
		return 1;
	const char *name = o.dlfo_link_map ? o.dlfo_link_map->l_name : NULL;
	if (!name || !*name)
		return 0;   /* the executable */
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	for (size_t i = 0; i < sizeof busy / sizeof busy[0]; i++)
		if (strncmp(base, busy[i], strlen(busy[i])) == 0)
			return 1;
	return 0;
}

/* System calls a thread sleeps in without holding a lock of the C library
 * or the allocator. */
static int sleeps_without_locks(long nr)
{
	switch (nr) {
	case SYS_read: case SYS_write: case SYS_poll: case SYS_select: case SYS_pause:
	case SYS_nanosleep: case SYS_wait4: case SYS_waitid: case SYS_rt_sigsuspend:
	case SYS_rt_sigtimedwait: case SYS_futex: case SYS_epoll_wait: case SYS_epoll_pwait:
	case SYS_clock_nanosleep: case SYS_ppoll: case SYS_pselect6: case SYS_accept:
	case SYS_accept4: case SYS_recvfrom: case SYS_recvmsg: case SYS_connect:
	case SYS_restart_syscall:
		return 1;
	}
	return 0;
}

/* Whether the interrupted thread may write the snapshot itself: it was in
 * the program's own code, or asleep in the kernel (a call the kernel will
 * restart sits on its syscall instruction with its number in rax; one
 * that fails with EINTR has just passed it). */
static int may_write_here(const ucontext_t *uc)
{
	uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP], start;
	long ax = (long)uc->uc_mcontext.gregs[REG_RAX];
	if (agent_guard)
		return 0;
	if (!in_busy_code(pc, &start))
		return 1;
	const unsigned char *ip = (const unsigned char *)pc;
	if (ip[0] == 0x0f && ip[1] == 0x05 && sleeps_without_locks(ax))
		return 1;
	return pc >= start + 2 && ip[-2] == 0x0f && ip[-1] == 0x05 && ax == -EINTR;
}

int ending_interrupted_safely(const void *context, void *arg)
{
	(void)arg;
	return may_write_here(context);
}

static void on_ending_signal(int sig, siginfo_t *info, void *uc)
{
	int none = 0;
	(void)info;
	if (!atomic_compare_exchange_strong(&ending_signal, &none, sig))
		end_by(sig);   /* a second signal: at once */
	if (agent_thread_running()) {
		agent_thread_wake();
		if (!wait_for_final(ENDING_WAIT_MS))
			agent_log("%s: the final profile was not written within %d s", signal_name(sig),
			          ENDING_WAIT_MS / 1000);
	} else if (may_write_here(uc)) {
		agent_enter();
		snapshot_final();
		agent_leave();
	} else {
		/* Said only when asked (verbose=1): without the agent the
		 * signal ends the program without a word, and programs and
		 * their tests check that stderr stays empty. */
		agent_debug("%s arrived inside the C library or the allocator: no final profile "
		            "was written", signal_name(sig));
	}
	end_by(sig);
}

void ending_serve(void)
{
	if (!atomic_load(&ending_signal) || atomic_load(&final_written))
		return;
	snapshot_final();
	atomic_store(&final_written, 1);
	syscall(SYS_futex, &final_written, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

void ending_claim(int sig, signal_claim_handler handler, int flags)
{
	struct sigaction old, sa;
	if (sigaction(sig, NULL, &old) != 0 || (old.sa_flags & SA_SIGINFO) ||
	    old.sa_handler != SIG_DFL)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | flags;
	sigfillset(&sa.sa_mask);
	signal_claim(sig, handler);
	if (sigaction(sig, &sa, NULL) != 0)
		signal_claim(sig, NULL);
}

void ending_install(void)
{
	for (size_t i = 0; i < sizeof ending_signals / sizeof ending_signals[0]; i++)
		ending_claim(ending_signals[i], on_ending_signal, SA_RESTART);
}
