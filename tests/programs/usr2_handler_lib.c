/*
 * usr2_handler_lib.c — a library that handles SIGUSR2 with an SA_SIGINFO
 * handler installed by its constructor (which runs before the agent's when
 * it is preloaded after the agent): the handler writes "library handler".
 * Built by e2e_host_signals.sh with cc -shared -fPIC.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

static void on_usr2(int sig, siginfo_t *info, void *context)
{
	static const char text[] = "library handler\n";
	(void)sig;
	(void)info;
	(void)context;
	if (write(STDOUT_FILENO, text, sizeof text - 1) < 0)
		_exit(5);
}

__attribute__((constructor)) static void install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_usr2;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
}
