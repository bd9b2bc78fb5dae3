/*
 * prog_http_fork.c — for e2e_http.sh: once FORKFILE exists (the agent
 * serves by then), forks a child that does not exec, prints "child PID"
 * and "parent PID", and both wait until STOPFILE exists (the parent then
 * reaps the child and exits 0).
 *   prog_http_fork FORKFILE STOPFILE
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void wait_for(const char *stopfile)
{
	for (int i = 0; i < 6000 && access(stopfile, F_OK) != 0; i++)
		usleep(10000);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	wait_for(argv[1]);
	pid_t child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		wait_for(argv[2]);
		_exit(0);
	}
	printf("child %d\nparent %d\n", (int)child, (int)getpid());
	fflush(stdout);
	wait_for(argv[2]);
	int status;
	waitpid(child, &status, 0);
	return 0;
}
