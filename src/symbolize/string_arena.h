/*
 * string_arena.h — the symbolizer's append-only memory: chunks that are
 * never moved or freed before sym_arena_free, and a set of interned strings
 * on top of them. Everything the symbolizer hands out (names, files, paths,
 * build IDs, cached frame arrays) lives here, which is what lets those
 * pointers outlive refreshes, unloaded modules and cache rebuilds. Memory
 * grows only with distinct strings and distinct PCs looked up.
 */
#ifndef PPROF_AGENT_SYMBOLIZE_ARENA_H
#define PPROF_AGENT_SYMBOLIZE_ARENA_H

#include <stddef.h>

struct sym_arena_chunk;

/* Zero-initialised is empty and ready. Not thread-safe. */
struct sym_arena {
	struct sym_arena_chunk *chunks;
	const char **strings;   /* open-addressing set of interned strings */
	size_t nstrings, strings_cap;
};

/* size bytes aligned for any object, or NULL when out of memory. */
void *sym_arena_alloc(struct sym_arena *a, size_t size);

/* The arena's copy of s, shared by every caller interning an equal string.
 * Returns "" (a static) when out of memory. */
const char *sym_arena_intern(struct sym_arena *a, const char *s);

void sym_arena_free(struct sym_arena *a);

#endif
