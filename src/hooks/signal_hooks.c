/*
 * signal_hooks.c — sigaction and signal, for the signals the agent has
 * claimed (signal_claims.h): the program sees the default action where the
 * agent's handler is, and a handler the program installs replaces the
 * agent's, which gives the signal up (as does finding another handler in
 * the agent's place). Any other signal, and every call the
 * agent makes itself (the guard is raised), goes straight through.
 */
#include <dlfcn.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "hooks.h"
#include "signal_claims.h"

typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);
typedef __sighandler_t (*signal_fn)(int, __sighandler_t);

static int is_default(const struct sigaction *act)
{
	return !(act->sa_flags & SA_SIGINFO) && act->sa_handler == SIG_DFL;
}

/* Whether sig's real disposition is still the agent's handler ours. */
static int still_held(sigaction_fn next, int sig, signal_claim_handler ours)
{
	struct sigaction now;
	return next(sig, NULL, &now) == 0 && (now.sa_flags & SA_SIGINFO) && now.sa_sigaction == ours;
}

AGENT_HOOK int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	NEXT_OF(sigaction_fn, "sigaction");
	signal_claim_handler ours = agent_guard ? NULL : signal_claimed(sig);
	if (!ours)
		return next(sig, act, old);
	/* A handler put in place behind the hooks (sysv_signal, the raw
	 * system call), or the default one a fatal signal's handler leaves:
	 * the claim is over. */
	if (!still_held(next, sig, ours)) {
		signal_claim_give_up(sig);
		return next(sig, act, old);
	}
	/* Setting the default again keeps the agent's handler, which is the
	 * default action plus the final profile (or, for the cpu profile's
	 * signal, ignores the samples' signals). The claim is given up before
	 * the program's handler is in place, so a claimant that sends the
	 * signal stops first. */
	if (act && !is_default(act)) {
		signal_claim_give_up(sig);
		int rc = next(sig, act, NULL);
		if (rc != 0)
			return rc;
	}
	if (old) {
		memset(old, 0, sizeof *old);
		old->sa_handler = SIG_DFL;
	}
	return 0;
}

/* signal(): for a claimed signal, glibc's BSD semantics through the hook
 * above; any other, glibc's own (which knows siginterrupt). */
AGENT_HOOK __sighandler_t signal(int sig, __sighandler_t handler)
{
	NEXT_OF(signal_fn, "signal");
	struct sigaction act, old;
	if (agent_guard || !signal_claimed(sig))
		return next(sig, handler);
	memset(&act, 0, sizeof act);
	act.sa_handler = handler;
	act.sa_flags = SA_RESTART;
	sigemptyset(&act.sa_mask);
	if (sigaddset(&act.sa_mask, sig) != 0 || sigaction(sig, &act, &old) != 0)
		return SIG_ERR;
	return old.sa_handler;
}
