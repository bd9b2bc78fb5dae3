/*
 * host_setuid.c — a program linked with the agent, for e2e_host_privileges.sh,
 * which makes it setuid root and runs it as another user: it prints
 * "secure S" (getauxval(AT_SECURE), 1 when the kernel ran it setuid),
 * allocates, asks the agent for a snapshot and prints "snapshot RC ERRNO"
 * (-1 and EPERM in secure-execution mode: the agent is inert there).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#include "pprof_agent.h"

int main(void)
{
	printf("secure %lu\n", getauxval(AT_SECURE));
	void *volatile p = malloc(1 << 20);
	int rc = pprof_snapshot();
	printf("snapshot %d %s\n", rc, rc == 0 ? "0" : strerrorname_np(errno));
	free(p);
	return 0;
}
