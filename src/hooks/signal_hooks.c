/*
 * signal_hooks.c — sigaction and signal, for the signals the agent has
 * claimed (signal_claims.h): the program sees the default action where the
 * agent's handler is, and a handler the program installs replaces the
 * agent's, which gives the signal up. Any other signal, and every call the
 * agent makes itself (the guard is raised), goes straight through.
 */
#include <dlfcn.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "hooks.h"
#include "signal_claims.h"

typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);

static sigaction_fn next_sigaction(void)
{
	static sigaction_fn _Atomic next;
	sigaction_fn fn = atomic_load_explicit(&next, memory_order_relaxed);
	if (unlikely(fn == NULL)) {
		*(void **)&fn = dlsym(RTLD_NEXT, "sigaction");
		atomic_store_explicit(&next, fn, memory_order_relaxed);
	}
	return fn;
}

static int is_default(const struct sigaction *act)
{
	return !(act->sa_flags & SA_SIGINFO) && act->sa_handler == SIG_DFL;
}

AGENT_HOOK int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (agent_guard || !signal_claimed(sig))
		return next_sigaction()(sig, act, old);
	/* Setting the default again keeps the agent's handler, which is the
	 * default action plus the final profile. */
	if (act && !is_default(act)) {
		int rc = next_sigaction()(sig, act, NULL);
		if (rc != 0)
			return rc;
		signal_claim(sig, 0);
	}
	if (old) {
		memset(old, 0, sizeof *old);
		old->sa_handler = SIG_DFL;
	}
	return 0;
}

typedef __sighandler_t (*signal_fn)(int, __sighandler_t);

/* signal(): for a claimed signal, glibc's BSD semantics through the hook
 * above; any other, glibc's own (which knows siginterrupt). */
AGENT_HOOK __sighandler_t signal(int sig, __sighandler_t handler)
{
	static signal_fn _Atomic next;
	struct sigaction act, old;
	if (agent_guard || !signal_claimed(sig)) {
		signal_fn fn = atomic_load_explicit(&next, memory_order_relaxed);
		if (unlikely(fn == NULL)) {
			*(void **)&fn = dlsym(RTLD_NEXT, "signal");
			atomic_store_explicit(&next, fn, memory_order_relaxed);
		}
		return fn(sig, handler);
	}
	memset(&act, 0, sizeof act);
	act.sa_handler = handler;
	act.sa_flags = SA_RESTART;
	sigemptyset(&act.sa_mask);
	if (sigaddset(&act.sa_mask, sig) != 0 || sigaction(sig, &act, &old) != 0)
		return SIG_ERR;
	return old.sa_handler;
}
