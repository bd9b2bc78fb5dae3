#!/bin/sh
# bench/gen_unit.sh — writes bench_unit.c, the cold-snapshot benchmark: one
# compilation unit of FUNCS functions (default 2000), each allocating
# through an inlined helper of its own, so its debug information holds
# FUNCS subprograms and FUNCS inlined calls. The program calls the first
# CALLS (default 1000) once each, keeping what they allocate, so a
# snapshot at mem_rate=1 has CALLS stacks whose leaf PCs are CALLS distinct
# addresses in that one unit; then it times the process's first snapshot
# (the symbolizer has read nothing yet) and prints the milliseconds, and
# on stderr its resident memory before, the page faults it took and the
# peak resident memory, as bench_stacks does. Without the agent it prints 0.
# Usage: sh bench/gen_unit.sh [FUNCS [CALLS]] > bench_unit.c
FUNCS=${1:-2000}
CALLS=${2:-1000}
cat <<EOF
/* bench_unit.c — written by bench/gen_unit.sh $FUNCS $CALLS; do not edit. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_mem.h"

static volatile size_t extra;

EOF
i=0
while [ "$i" -lt "$FUNCS" ]; do
	cat <<EOF
static inline __attribute__((always_inline)) void *helper$i(size_t n) { return malloc(n + $((i % 7)) + extra); }
__attribute__((noinline)) void *unit_fn$i(void) { void *p = helper$i(16); extra += (size_t)(p == 0); return p; }
EOF
	i=$((i + 1))
done
echo "void *(*const unit_fns[$FUNCS])(void) = {"
i=0
while [ "$i" -lt "$FUNCS" ]; do
	echo "	unit_fn$i,"
	i=$((i + 1))
done
cat <<EOF
};

int main(void)
{
	static void *kept[$CALLS];
	for (int i = 0; i < $CALLS; i++)
		kept[i] = unit_fns[i]();
	int (*snapshot)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "pprof_snapshot");
	long rss_before = status_kib("VmRSS"), faults = minor_faults();
	double ms = 0;
	if (snapshot) {
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (snapshot() != 0)
			perror("bench_unit: pprof_snapshot");
		clock_gettime(CLOCK_MONOTONIC, &b);
		ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	}
	faults = minor_faults() - faults;
	printf("%.1f\n", ms);
	fprintf(stderr, "bench_unit: rss before snapshot %ld KiB, snapshot page faults %ld, peak rss %ld KiB\n",
	        rss_before, faults, status_kib("VmHWM"));
	for (int i = 0; i < $CALLS; i++)
		free(kept[i]);
	return 0;
}
EOF
