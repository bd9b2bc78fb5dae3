/*
 * exit_notice.h — how the runtime hears that the program is ending by
 * _exit or _Exit, which skip the exit handlers and with them the final
 * snapshot: the runtime installs its handler once (abrupt_endings.c), and
 * the exit hooks (src/hooks/exit_hooks.c) call it just before the real
 * call. The handler must be async-signal-safe (_exit is, and programs call
 * it from signal handlers and from vfork children). Lock-free.
 */
#ifndef PPROF_AGENT_EXIT_NOTICE_H
#define PPROF_AGENT_EXIT_NOTICE_H

#include <stdatomic.h>

typedef void (*exit_notice_handler)(const char *call, int status);

extern exit_notice_handler _Atomic exit_notice_to;

static inline void exit_notice(const char *call, int status)
{
	exit_notice_handler to = atomic_load_explicit(&exit_notice_to, memory_order_acquire);
	if (to)
		to(call, status);
}

#endif
