/*
 * core_sys.c — the production values of the core's seams (core_sys.h):
 * clock_gettime, a per-thread wyrand generator, the agent's own unwinder
 * (unwind.h), anonymous mmap and the loader's _dl_find_object.
 */
#include "core_sys.h"

#include <link.h>
#include <sys/mman.h>
#include <time.h>

#include "unwind.h"

static int64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t monotonic_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static int64_t realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

/* wyrand: one multiply, passes BigCrush, plenty for sampling decisions. The
 * state is per thread and seeded on first use from the clock and the
 * state's own address (distinct per thread). */
static __thread uint64_t rng_state;

static uint64_t wyrand(void)
{
	if (rng_state == 0) {
		uint64_t seed = (uint64_t)monotonic_ns() * 0x9e3779b97f4a7c15ULL ^
		                (uint64_t)(uintptr_t)&rng_state;
		rng_state = seed ? seed : 1;
	}
	rng_state += 0xa0761d6478bd642fULL;
	__uint128_t m = (__uint128_t)rng_state * (rng_state ^ 0xe7037ed1a0b428dbULL);
	return (uint64_t)(m >> 64) ^ (uint64_t)m;
}

static void *map_anonymous(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void unmap(void *p, size_t len)
{
	munmap(p, len);
}

static int object_at(uintptr_t pc, struct loaded_object *out)
{
	struct dl_find_object o;
	if (_dl_find_object((void *)pc, &o) != 0 || o.dlfo_link_map == NULL)
		return -1;
	out->name = o.dlfo_link_map->l_name ? o.dlfo_link_map->l_name : "";
	out->bias = (uint64_t)o.dlfo_link_map->l_addr;
	out->start = (uintptr_t)o.dlfo_map_start;
	out->limit = (uintptr_t)o.dlfo_map_end;
	return 0;
}

SEAM_MUTABLE struct core_sys core_sys = {
	.nanotime = monotonic_ns,
	.walltime = realtime_ns,
	.random = wyrand,
	.unwind = unwind_current_thread,
	.map = map_anonymous,
	.unmap = unmap,
	.object_at = object_at,
};
