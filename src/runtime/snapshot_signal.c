/*
 * snapshot_signal.c — see snapshot_signal.h. SA_RESTART, so a host call
 * the signal interrupts is restarted where the kernel can restart it. The
 * agent never takes a signal from the host: when the program already
 * handles the signal, the agent leaves it alone and says so.
 */
#include "snapshot_signal.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "runtime.h"
#include "schedule.h"

static void on_snapshot_signal(int sig)
{
	(void)sig;
	schedule_signal_asked();
}

static int installed_signal;

void snapshot_signal_check(void)
{
	static int said;
	struct sigaction now;
	if (!installed_signal || said || sigaction(installed_signal, NULL, &now) != 0)
		return;
	if (!(now.sa_flags & SA_SIGINFO) && now.sa_handler == on_snapshot_signal)
		return;
	said = 1;
	agent_log("the program replaced the handler of %s: snapshots on signal are off",
	          sigabbrev_np(installed_signal) ? sigabbrev_np(installed_signal) : "the signal");
}

void snapshot_signal_install(int sig)
{
	struct sigaction sa, old;
	if (sigaction(sig, NULL, &old) == 0 &&
	    ((old.sa_flags & SA_SIGINFO) || (old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN))) {
		agent_log("option signal: the program handles %s itself; snapshots on signal are off",
		          sigabbrev_np(sig) ? sigabbrev_np(sig) : "that signal");
		return;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_snapshot_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) != 0)
		agent_log("option signal: cannot install a handler for %s: %s", strsignal(sig),
		          strerror(errno));
	else
		installed_signal = sig;
}
