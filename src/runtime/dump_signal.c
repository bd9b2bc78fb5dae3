/*
 * dump_signal.c — thread dumps on a signal (see dump_signal.h).
 */
#include "dump_signal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdatomic.h>
#include <string.h>

#include "agent_thread.h"
#include "ending.h"
#include "runtime.h"
#include "signal_claims.h"
#include "snapshot.h"

static atomic_int asked;
static int claimed_signal;

/* "SIGQUIT", or "signal 40" for one without an abbreviation. */
static const char *name_of(int sig, char *buf, size_t len)
{
	if (sigabbrev_np(sig))
		snprintf(buf, len, "SIG%s", sigabbrev_np(sig));
	else
		snprintf(buf, len, "signal %d", sig);
	return buf;
}

static void on_dump_signal(int sig, siginfo_t *info, void *uc)
{
	(void)sig;
	(void)info;
	(void)uc;
	atomic_store(&asked, 1);
	agent_thread_wake();
}

void dump_signal_install(int sig)
{
	char name[32];
	struct sigaction old;
	ending_claim(sig, on_dump_signal, SA_RESTART);
	if (signal_claimed(sig) != on_dump_signal) {
		int ignored = sigaction(sig, NULL, &old) == 0 && !(old.sa_flags & SA_SIGINFO) &&
		              old.sa_handler == SIG_IGN;
		agent_log("option dump_signal: the program %s %s itself; no thread dumps on signal",
		          ignored ? "ignores" : "handles", name_of(sig, name, sizeof name));
		return;
	}
	claimed_signal = sig;
}

void dump_signal_check(void)
{
	static int said;
	char name[32];
	if (claimed_signal && !said && signal_claimed(claimed_signal) != on_dump_signal) {
		said = 1;
		agent_log("the program installed its own handler of %s: no more thread dumps on "
		          "signal", name_of(claimed_signal, name, sizeof name));
	}
}

int dump_signal_serve(void)
{
	if (!atomic_exchange(&asked, 0))
		return 0;
	if (snapshot_write_thread_dump() != 0 && !snapshot_finished())
		agent_log("cannot write the thread dump: %s", strerror(errno));
	return 1;
}
