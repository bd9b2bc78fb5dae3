/*
 * host_exec.c — children that execute a program while the cpu profile's
 * SIGPROF timer runs on them, for e2e_cpu_host.sh (cpu_timer=signal):
 *   host_exec N — forks N children one after another. Each burns CPU on
 *       its own CPU clock, then executes this program again with
 *       execv, execl or execve in turn. Every other child first blocks
 *       SIGPROF and burns until the timer's SIGPROF is pending (at most
 *       200 ms of CPU), so that the signal is pending at the exec itself.
 *       The new program (host_exec check B) reports whether SIGPROF is
 *       pending in it (B: whether it was before the exec) and exits.
 *       Prints "children N killed K pending_before P pending_after A":
 *       K the children that SIGPROF ended, P those whose exec ran with it
 *       pending, A those whose new program still had it pending.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static volatile uint64_t sink;

static int64_t thread_cpu_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int sigprof_pending(void)
{
	sigset_t p;
	sigemptyset(&p);
	return sigpending(&p) == 0 && sigismember(&p, SIGPROF);
}

/* Burns ns of this thread's CPU time, or less once SIGPROF is pending
 * when until_pending is set. */
static void burn(int64_t ns, int until_pending)
{
	int64_t end = thread_cpu_ns() + ns;
	while (thread_cpu_ns() < end && !(until_pending && sigprof_pending()))
		for (int i = 0; i < 1000; i++)
			sink += (uint64_t)i * sink + 1;
}

/* A child: burns, then replaces itself with "host_exec check B". */
static void child(const char *self, int i)
{
	int blocked = i % 2;
	if (blocked) {
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, SIGPROF);
		sigprocmask(SIG_BLOCK, &s, NULL);
		burn(200000000, 1);
	} else {
		burn(3000000, 0);
	}
	char *argv[] = { "host_exec", "check", sigprof_pending() ? "1" : "0", NULL };
	switch (i / 2 % 3) {
	case 0:
		execv(self, argv);
		break;
	case 1:
		execl(self, argv[0], argv[1], argv[2], (char *)NULL);
		break;
	default:
		execve(self, argv, environ);
	}
	_exit(127);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "check") == 0)
		return 10 + 2 * (argv[2][0] == '1') + sigprof_pending();
	if (argc != 2) {
		fprintf(stderr, "usage: host_exec N\n");
		return 2;
	}
	int n = atoi(argv[1]), killed = 0, before = 0, after = 0, other = 0;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0)
			child("/proc/self/exe", i);
		int st;
		if (pid < 0 || waitpid(pid, &st, 0) != pid) {
			other++;
			continue;
		}
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGPROF) {
			killed++;
		} else if (WIFEXITED(st) && WEXITSTATUS(st) >= 10 && WEXITSTATUS(st) <= 13) {
			before += (WEXITSTATUS(st) - 10) >> 1;
			after += (WEXITSTATUS(st) - 10) & 1;
		} else {
			other++;
		}
	}
	printf("children %d killed %d pending_before %d pending_after %d\n", n, killed, before,
	       after);
	return other != 0;
}
