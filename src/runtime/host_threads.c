/*
 * host_threads.c — the host's threads running now (see host_threads.h).
 */
#include "host_threads.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "agent_thread_names.h"
#include "private_fd.h"

/* Whether tid is one of the agent's own threads (by its name). */
static int agent_thread_tid(pid_t tid)
{
	char path[64], name[32] = "";
	snprintf(path, sizeof path, "/proc/self/task/%d/comm", (int)tid);
	int fd = private_fd_open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, name, sizeof name - 1);
	close(fd);
	return n > 0 && agent_thread_named(name);
}

void host_threads_each(void (*fn)(pid_t tid))
{
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return;
	pid_t self = gettid();
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		pid_t tid = (pid_t)atol(e->d_name);
		if (tid > 0 && tid != self && !agent_thread_tid(tid))
			fn(tid);
	}
	closedir(d);
}
