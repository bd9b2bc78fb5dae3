/*
 * host_signals.c — programs that rely on signals reaching the thread they
 * chose, for e2e_host_signals.sh.
 *   host_signals sigwait     blocks SIGTERM in every thread and takes it
 *                            with sigwait in a thread of its own: prints
 *                            "ready", then on SIGTERM "clean shutdown" and
 *                            exits 0
 *   host_signals signalfd N  blocks SIGCHLD and starts N children one at a
 *                            time, each time waiting in poll for the
 *                            signalfd to say it exited; prints "children N
 *                            reaped M" (M must be N)
 *   host_signals own_usr2    installs its own SIGUSR2 handler (after the
 *                            agent installed its snapshot handler), raises
 *                            SIGUSR2 and prints "usr2 handled N" (N = 1)
 *   host_signals raise_usr2  raises SIGUSR2 (handled by whoever handles it)
 *                            and prints "raised"
 * All start a worker thread first, so the agent has a thread of its own.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static void *worker(void *arg)
{
	for (;;) {
		free(malloc(100));
		usleep(1000);
	}
	return arg;
}

static void start_worker(void)
{
	pthread_t t;
	if (pthread_create(&t, NULL, worker, NULL) != 0)
		exit(2);
}

/* The thread that takes SIGTERM: not the main thread, so the kernel picks
 * among all threads that do not block it. */
static void *shutdown_waiter(void *arg)
{
	sigset_t *set = arg;
	int sig;
	if (sigwait(set, &sig) == 0 && sig == SIGTERM) {
		printf("clean shutdown\n");
		exit(0);
	}
	exit(1);
}

static int by_sigwait(void)
{
	static sigset_t set;
	pthread_t t;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);   /* inherited by every thread */
	start_worker();
	if (pthread_create(&t, NULL, shutdown_waiter, &set) != 0)
		return 2;
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

/* One child at a time, so every exit's SIGCHLD must arrive on its own:
 * one taken by another thread leaves its child unreaped. */
static int by_signalfd(int children)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	start_worker();
	int fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		return 1;
	int reaped = 0;
	for (int i = 0; i < children; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 5000) <= 0)
			break;   /* a SIGCHLD that never came */
		struct signalfd_siginfo info;
		if (read(fd, &info, sizeof info) != sizeof info)
			break;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			reaped++;
	}
	printf("children %d reaped %d\n", children, reaped);
	return reaped == children ? 0 : 1;
}

static volatile sig_atomic_t usr2_count;

static void on_usr2(int sig)
{
	(void)sig;
	usr2_count++;
}

static int with_own_usr2(void)
{
	start_worker();
	signal(SIGUSR2, on_usr2);
	raise(SIGUSR2);
	printf("usr2 handled %d\n", (int)usr2_count);
	return usr2_count == 1 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "sigwait") == 0)
		return by_sigwait();
	if (argc >= 3 && strcmp(argv[1], "signalfd") == 0)
		return by_signalfd(atoi(argv[2]));
	if (argc >= 2 && strcmp(argv[1], "own_usr2") == 0)
		return with_own_usr2();
	if (argc >= 2 && strcmp(argv[1], "raise_usr2") == 0) {
		start_worker();
		raise(SIGUSR2);
		printf("raised\n");
		return 0;
	}
	fprintf(stderr, "usage: host_signals sigwait | signalfd N | own_usr2 | raise_usr2\n");
	return 2;
}
