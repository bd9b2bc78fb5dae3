/*
 * unloaded_modules.h — the shared objects the program has dlclose'd, with
 * the address they were loaded at. The dlclose hook records each one before
 * the real dlclose unmaps it; at the next snapshot the report hands them to
 * the symbolizer, which keeps their symbols so that samples taken inside a
 * library that is gone still get names.
 *
 * A lock-free list: entries are pushed at the head with a compare-and-swap
 * and never changed or removed, so any thread may push and the agent thread
 * may walk it at any time. Entries live in the arena.
 */
#ifndef PPROF_AGENT_UNLOADED_MODULES_H
#define PPROF_AGENT_UNLOADED_MODULES_H

#include <stdint.h>

struct unloaded_module {
	const struct unloaded_module *next;   /* older entry */
	uint64_t load_bias;                   /* link_map.l_addr */
	char path[];                          /* absolute */
};

/* Records a module about to be unloaded (once per path and bias, however
 * often a program loads and unloads it). Returns 0, or -1 when the arena has
 * no room (its symbols are then lost). */
int unloaded_module_add(const char *path, uint64_t load_bias);

/* The newest entry, or NULL; follow next for the older ones. */
const struct unloaded_module *unloaded_modules_newest(void);

#endif
