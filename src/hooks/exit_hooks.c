/*
 * exit_hooks.c — _exit and _Exit: the program ends without its exit
 * handlers, so without the final snapshot; the runtime hears of it first
 * (exit_notice.h) and says so. exit() is not hooked: glibc's exit runs the
 * handlers (the agent's final snapshot among them) and then ends the
 * process by its own internal call, which no hook sees, as are abort's
 * and posix_spawn's. The next definitions are found at load, so a vfork
 * child that calls _exit never runs dlsym in its parent's memory.
 */
#include <dlfcn.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exit_notice.h"
#include "hooks.h"

typedef void (*exit_fn)(int);

static exit_fn next_exit, next_Exit;

__attribute__((constructor)) static void exit_hooks_resolve(void)
{
	next_exit = (exit_fn)dlsym(RTLD_NEXT, "_exit");
	next_Exit = (exit_fn)dlsym(RTLD_NEXT, "_Exit");
}

static __attribute__((noreturn)) void end_by(exit_fn next, int status)
{
	if (next)
		next(status);
	for (;;)
		syscall(SYS_exit_group, status);
}

AGENT_HOOK void _exit(int status)
{
	if (!agent_guard)
		exit_notice("_exit", status);
	end_by(next_exit, status);
}

AGENT_HOOK void _Exit(int status)
{
	if (!agent_guard)
		exit_notice("_Exit", status);
	end_by(next_Exit ? next_Exit : next_exit, status);
}
