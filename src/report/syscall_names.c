/*
 * syscall_names.c — the system calls a thread waits in, by name (see
 * syscall_names.h). Only calls that block, or take long enough to be seen
 * in, are listed; the numbers come from <sys/syscall.h>.
 */
#include "syscall_names.h"

#include <stddef.h>
#include <sys/syscall.h>

struct syscall_name {
	long nr;
	const char *name;
};

#define NAMED(call) { SYS_##call, #call }

static const struct syscall_name names[] = {
	NAMED(read), NAMED(write), NAMED(readv), NAMED(writev), NAMED(pread64), NAMED(pwrite64),
	NAMED(open), NAMED(openat), NAMED(close), NAMED(poll), NAMED(ppoll), NAMED(select),
	NAMED(pselect6), NAMED(epoll_wait), NAMED(epoll_pwait), NAMED(epoll_pwait2),
	NAMED(nanosleep), NAMED(clock_nanosleep), NAMED(futex), NAMED(futex_waitv),
	NAMED(accept), NAMED(accept4), NAMED(connect), NAMED(recvfrom), NAMED(recvmsg),
	NAMED(recvmmsg), NAMED(sendto), NAMED(sendmsg), NAMED(sendfile), NAMED(splice),
	NAMED(wait4), NAMED(waitid), NAMED(pause), NAMED(rt_sigsuspend), NAMED(rt_sigtimedwait),
	NAMED(msgrcv), NAMED(msgsnd), NAMED(semop), NAMED(semtimedop), NAMED(flock),
	NAMED(fsync), NAMED(fdatasync), NAMED(sync), NAMED(io_getevents), NAMED(io_uring_enter),
	NAMED(getrandom), NAMED(sched_yield),
};

const char *syscall_name(long nr)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].nr == nr)
			return names[i].name;
	return NULL;
}
