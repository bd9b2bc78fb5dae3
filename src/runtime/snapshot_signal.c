/*
 * snapshot_signal.c — see snapshot_signal.h. SA_RESTART, so a host call
 * the signal interrupts is restarted where the kernel can restart it.
 */
#include "snapshot_signal.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "agent_thread.h"
#include "runtime.h"

static void on_snapshot_signal(int sig)
{
	(void)sig;
	agent_thread_wake();
}

void snapshot_signal_install(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_snapshot_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) != 0)
		agent_log("option signal: cannot install a handler for %s: %s", strsignal(sig),
		          strerror(errno));
}
