/*
 * prog_fork.c — fork and exec under the agent, for e2e_fork_exec.sh.
 *   prog_fork fork N     three threads keep allocating and freeing
 *                        (background_churn) while main forks N children one
 *                        after another; each child allocates 7 x 2000 B in
 *                        child_only and exits normally; the parent
 *                        allocates 10 x 1000 B in parent_before and 5 x 3000 B
 *                        in parent_after (all kept). Prints "child PID" for
 *                        every child and "parent PID".
 *   prog_fork exec PROG ARGS...   allocates in before_exec, prints
 *                        "pid PID", then execv(PROG, ARGS) (same pid).
 *   prog_fork spawn PROG ARGS...  allocates in before_exec, forks, the
 *                        child execv(PROG, ARGS), the parent waits and
 *                        exits with the child's status.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static atomic_int stop;
static void *kept[64];
static int nkept;

NOINLINE static void *background_churn(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		void *volatile p = malloc(64 + (size_t)(rand() % 4096));
		free(p);   /* volatile: the pair is not elided */
	}
	return NULL;
}

NOINLINE static void keep_n(int n, size_t size)
{
	for (int i = 0; i < n; i++) {
		kept[nkept] = malloc(size);
		if (!kept[nkept]) abort();
		nkept++;
	}
}

NOINLINE static void parent_before(void) { keep_n(10, 1000); __asm__ volatile("" ::: "memory"); }
NOINLINE static void parent_after(void) { keep_n(5, 3000); __asm__ volatile("" ::: "memory"); }
NOINLINE static void child_only(void) { keep_n(7, 2000); __asm__ volatile("" ::: "memory"); }
NOINLINE static void before_exec(void) { keep_n(3, 500); __asm__ volatile("" ::: "memory"); }

static int do_fork(int n)
{
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		if (pthread_create(&t[i], NULL, background_churn, NULL) != 0) return 1;
	parent_before();
	for (int c = 0; c < n; c++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) { perror("fork"); return 1; }
		if (pid == 0) {
			child_only();
			exit(0);   /* normal exit: atexit handlers run */
		}
		printf("child %d\n", (int)pid);
		int st;
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			printf("child %d failed (status 0x%x)\n", (int)pid, st);
			return 1;
		}
	}
	parent_after();
	atomic_store(&stop, 1);
	for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
	printf("parent %d\n", (int)getpid());
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "fork") == 0)
		return do_fork(atoi(argv[2]));
	if (argc >= 3 && strcmp(argv[1], "exec") == 0) {
		before_exec();
		printf("pid %d\n", (int)getpid());
		fflush(stdout);
		execv(argv[2], argv + 2);
		perror("execv");
		return 127;
	}
	if (argc >= 3 && strcmp(argv[1], "spawn") == 0) {
		before_exec();
		printf("pid %d\n", (int)getpid());
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			execv(argv[2], argv + 2);
			_exit(127);
		}
		int st;
		if (pid < 0 || waitpid(pid, &st, 0) != pid) return 1;
		return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	}
	fprintf(stderr, "usage: prog_fork fork N | exec PROG ARGS... | spawn PROG ARGS...\n");
	return 2;
}
