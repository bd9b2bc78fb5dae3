/*
 * bench_mem.h — the memory figures the snapshot benchmarks print besides
 * their milliseconds: lines of /proc/self/status and the process's minor
 * page faults. Figures that, unlike time, do not move with the machine's
 * load.
 */
#ifndef PPROF_AGENT_BENCH_MEM_H
#define PPROF_AGENT_BENCH_MEM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* A "Name:   N kB" line of /proc/self/status, in KiB (0 if absent). */
static inline long status_kib(const char *name)
{
	char line[256];
	long kib = 0;
	size_t len = strlen(name);
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, name, len) == 0 && line[len] == ':')
			kib = atol(line + len + 1);
	fclose(f);
	return kib;
}

static inline long minor_faults(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_minflt : 0;
}

#endif
