/*
 * host_lifetime.c — how a process ends, and what a single-threaded one may
 * do, for e2e_host_lifetime.sh.
 *   host_lifetime pthread_exit     main starts a thread that prints "thread
 *                                  done" after 200 ms, and calls
 *                                  pthread_exit: the process must end then,
 *                                  status 0, with its buffered output
 *   host_lifetime fork_from_thread a thread forks; in the child it starts a
 *                                  helper thread and returns, and the child
 *                                  must end once the helper has (status 0);
 *                                  the parent prints "child exited N"
 *   host_lifetime unshare          a single-threaded program enters a new
 *                                  user namespace: "unshare ok" or
 *                                  "unshare failed: ERRNO"
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void *late_printer(void *arg)
{
	usleep(200000);
	free(malloc(64));
	printf("thread done\n");   /* buffered: written by exit's flush */
	return arg;
}

static int by_pthread_exit(void)
{
	pthread_t t;
	free(malloc(64));
	if (pthread_create(&t, NULL, late_printer, NULL) != 0)
		return 2;
	pthread_exit(NULL);
}

static void *helper(void *arg)
{
	usleep(100000);
	return arg;
}

static void *forker(void *arg)
{
	(void)arg;
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t t;
		pthread_create(&t, NULL, helper, NULL);
		pthread_detach(t);
		return NULL;   /* the child's only original thread ends */
	}
	int st = 0;
	waitpid(pid, &st, 0);
	printf("child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	fflush(stdout);
	return NULL;
}

static int by_fork_from_thread(void)
{
	pthread_t t;
	if (pthread_create(&t, NULL, forker, NULL) != 0)
		return 2;
	pthread_join(t, NULL);
	return 0;
}

static int by_unshare(void)
{
	free(malloc(64));
	if (unshare(CLONE_NEWUSER) != 0) {
		printf("unshare failed: %s\n", strerror(errno));
		return 1;
	}
	printf("unshare ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "pthread_exit") == 0)
		return by_pthread_exit();
	if (strcmp(mode, "fork_from_thread") == 0)
		return by_fork_from_thread();
	if (strcmp(mode, "unshare") == 0)
		return by_unshare();
	fprintf(stderr, "usage: host_lifetime pthread_exit | fork_from_thread | unshare\n");
	return 2;
}
