/*
 * fake_sys.h — scripted stand-ins for the core's seams (core_sys.h), shared
 * by the unit tests: a clock that only moves when told, random numbers
 * taken from a script, a stack that is whatever the test says, a map
 * that can be made to fail, and one loaded object where the test says. fake_sys_install() puts them in place;
 * fake_sys_restore() puts the production values back.
 */
#ifndef PPROF_AGENT_FAKE_SYS_H
#define PPROF_AGENT_FAKE_SYS_H

#include <stddef.h>
#include <stdint.h>

void fake_sys_install(void);
void fake_sys_restore(void);

/* The clock reads now_ns until set again. */
void fake_clock_set(int64_t now_ns);

/* The next random numbers are values[0..n-1], then values[n-1] again. */
void fake_random_script(const uint64_t *values, size_t n);

/* The unwinder returns pcs[0..n-1] (innermost first) until set again. */
void fake_stack_set(const uintptr_t *pcs, size_t n);

/* The next `count` calls to core_sys.map fail. */
void fake_map_fail_next(int count);

/* core_sys.object_at finds name (at bias, spanning [start, limit)) for
 * the addresses it spans, and nothing elsewhere; name NULL: nothing at all
 * (the default). */
void fake_object_set(const char *name, uint64_t bias, uintptr_t start, uintptr_t limit);

#endif
