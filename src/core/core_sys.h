/*
 * core_sys.h — the core's seams to the operating system, in the manner of
 * jemalloc's prof_sys.c: the clocks, the random numbers, the unwinder and
 * anonymous memory are reached only through this table, so a unit test can
 * drive the sampling and charging maths with a scripted clock and random
 * source, a scripted stack, or a failing mmap.
 *
 * Like jemalloc's JET_MUTABLE, the table is const in the library and
 * writable only where PPROF_AGENT_TESTING is defined (the unit tests compile
 * the core with it), so production code cannot change it by mistake.
 */
#ifndef PPROF_AGENT_CORE_SYS_H
#define PPROF_AGENT_CORE_SYS_H

#include <stddef.h>
#include <stdint.h>

#ifdef PPROF_AGENT_TESTING
#define SEAM_MUTABLE
#else
#define SEAM_MUTABLE const
#endif

struct unwind_regs;

/* A loaded object, as the loader knows it. */
struct loaded_object {
	const char *name;       /* link_map.l_name ("" for the executable) */
	uint64_t bias;          /* link_map.l_addr */
	uintptr_t start, limit; /* the addresses it spans */
};

struct core_sys {
	int64_t (*nanotime)(void);    /* CLOCK_MONOTONIC, ns */
	int64_t (*walltime)(void);    /* CLOCK_REALTIME, ns since the epoch */
	uint64_t (*random)(void);     /* uniform 64 bits; per thread, no lock */
	/* Return addresses of the calling thread, innermost first, from
	 * from (NULL: the caller of the unwinder) (the agent's unwinder,
	 * unwind.h); returns how many, 0 or less when none. */
	int (*unwind)(const struct unwind_regs *from, void **pcs, int max);
	/* Zeroed, private, read-write memory (mmap); NULL on failure. */
	void *(*map)(size_t len);
	void (*unmap)(void *p, size_t len);
	/* The loaded object holding pc (_dl_find_object: no lock, no system
	 * call); 0, or -1 when no object holds it. */
	int (*object_at)(uintptr_t pc, struct loaded_object *out);
};

extern SEAM_MUTABLE struct core_sys core_sys;

#endif
