/*
 * abrupt_endings.c — _exit, _Exit, abort and the fatal signals (see
 * abrupt_endings.h; docs/endings.md).
 *
 * _exit and _Exit: the final profile is written there and then, as exit()
 * would have it written, when nothing the thread interrupted can hold a
 * lock the snapshot needs: the walk of its stack reaches its outermost
 * frame, and each signal handler it crosses interrupted the program's own
 * code or a system call asleep (ending.h's rule for SIGTERM), as when a
 * SIGTERM handler calls _exit. Otherwise (a handler that interrupted the C
 * library, as raise does, or a stack the walk cannot follow) only the line
 * is said. A vfork child (another pid, the parent's memory) does nothing
 * at all.
 *
 * Fatal signals: the handler is installed with SA_RESETHAND, so the kernel
 * puts the default action back as it calls it, and with every signal
 * blocked while it runs. It says the line, then lets the signal end the
 * process as it would have without the agent:
 *   - a fault (SIGSEGV, SIGBUS, SIGILL, SIGFPE raised by an instruction):
 *     the handler returns, the instruction runs again and faults again,
 *     now with the default action: same signal, same si_code and address,
 *     same registers in the core dump, and no system call to be refused;
 *   - a signal sent (kill, raise, abort, sigqueue, and a SIGBUS the kernel
 *     sends ahead of a memory error): it is queued again to this thread with
 *     its own siginfo (rt_tgsigqueueinfo; tgkill if that is refused), and
 *     is delivered as the handler returns, since returning unblocks it.
 */
#include "abrupt_endings.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ending.h"
#include "exit_notice.h"
#include "runtime.h"
#include "signal_claims.h"
#include "snapshot.h"
#include "unwind.h"

static const struct {
	int sig;
	const char *name;
} fatal_signals[] = {
	{ SIGSEGV, "SIGSEGV" }, { SIGBUS, "SIGBUS" }, { SIGILL, "SIGILL" },
	{ SIGFPE, "SIGFPE" },   { SIGABRT, "SIGABRT" },
};

/* n in decimal, into buf (at least 24 bytes). */
static const char *decimal(char *buf, long long n)
{
	char *p = buf + 23;
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	*p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (n < 0)
		*--p = '-';
	return p;
}

/* The line, when this process had a final profile to come. */
static void say_no_final_profile(const char *how, const char *detail)
{
	char pid[24];
	if (!snapshot_final_pending())
		return;
	const char *last = snapshot_last_file();
	agent_log_ending(program_invocation_short_name, "[", decimal(pid, getpid()), "] ended by ",
	                 how, detail, last ? ": no final profile was written; the last one is "
	                                   : ": no profile was written",
	                 last ? last : "", NULL);
}

static void on_exit_call(const char *call, int status)
{
	char digits[24];
	if (!snapshot_final_pending())
		return;
	if (unwind_signal_frames(ending_interrupted_safely, NULL) >= 0) {
		snapshot_final();
		return;
	}
	char detail[32] = "(";
	strcat(detail, decimal(digits, status));
	strcat(detail, ")");
	say_no_final_profile(call, detail);
}

/* Whether the kernel raised sig for the instruction that was running (it
 * faults again when run again). */
static int raised_by_a_fault(int sig, const siginfo_t *info)
{
	if (info->si_code <= 0 || sig == SIGABRT)
		return 0;   /* sent: kill, tgkill, sigqueue, raise */
	return !(sig == SIGBUS && info->si_code == BUS_MCEERR_AO);
}

static void on_fatal_signal(int sig, siginfo_t *info, void *uc)
{
	int saved = errno;
	(void)uc;
	signal_claim(sig, NULL);   /* the kernel put the default action back */
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		if (fatal_signals[i].sig == sig)
			say_no_final_profile(fatal_signals[i].name, "");
	if (!raised_by_a_fault(sig, info)) {
		pid_t pid = getpid(), tid = (pid_t)syscall(SYS_gettid);
		if (syscall(SYS_rt_tgsigqueueinfo, pid, tid, sig, info) != 0)
			syscall(SYS_tgkill, pid, tid, sig);
	}
	errno = saved;
}

void abrupt_endings_install(void)
{
	atomic_store_explicit(&exit_notice_to, on_exit_call, memory_order_release);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		ending_claim(fatal_signals[i].sig, on_fatal_signal, SA_RESETHAND | SA_ONSTACK);
}
