/*
 * host_fds.c — a program that owns all of its file descriptors, for
 * e2e_host_fds.sh: it closes every descriptor from 3 up (as servers and
 * Python's subprocess do), then passes NUMBERED requests ("request 000000",
 * ...) through a socketpair, which gets descriptors 3 and 4, while it
 * allocates (so the agent samples and unwinds) and the agent's snapshots
 * run. Every request must come back whole and in order. It then prints the
 * descriptors it holds, "fds N N ...", which must be only its own; it
 * prints them at its start too ("start N N ..."): only 0, 1 and 2, since
 * the agent holds no descriptor between snapshots (a child that lists
 * its descriptors, as Python's tests do, sees only what it inherited).
 *   host_fds COUNT
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static void *churn(void *arg)
{
	for (int i = 0; i < 20000; i++) {
		void *volatile p = malloc(64 + (size_t)(i % 512));
		free(p);
	}
	return arg;
}

NOINLINE static int pass_requests(int a, int b, int count)
{
	char sent[32], got[32];
	for (int i = 0; i < count; i++) {
		int n = snprintf(sent, sizeof sent, "request %06d", i);
		free(malloc(200));
		if (write(a, sent, (size_t)n) != n || read(b, got, (size_t)n) != n ||
		    memcmp(sent, got, (size_t)n) != 0) {
			got[n] = '\0';
			printf("request %d came back as \"%s\"\n", i, got);
			return 1;
		}
		if (i % 100 == 0)
			usleep(1000);   /* let the agent's snapshots run in between */
	}
	return 0;
}

static void print_fds(const char *label)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int own = dirfd(d);
	printf("%s", label);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && atoi(e->d_name) != own)
			printf(" %s", e->d_name);
	printf("\n");
	closedir(d);
}

int main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : 1000;
	print_fds("start");
	pthread_t t;
	pthread_create(&t, NULL, churn, NULL);   /* the agent gets its thread */
	pthread_join(t, NULL);
	closefrom(3);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return 2;
	printf("socketpair %d %d\n", sv[0], sv[1]);
	int rc = pass_requests(sv[0], sv[1], count);
	print_fds("fds");
	return rc;
}
