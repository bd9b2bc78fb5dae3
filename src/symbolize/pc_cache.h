/*
 * pc_cache.h — the symbolizer's per-PC answers: an open-addressing
 * table from PC to its frames (stored in the symbolizer's arena), the
 * mapping it lies in and the object that answered. It grows with the number
 * of distinct PCs looked up, which are the PCs in recorded stacks. When the
 * loaded objects change, the symbolizer filters it: answers whose object is
 * still loaded at the same place survive, with their mapping index updated.
 */
#ifndef PPROF_AGENT_SYMBOLIZE_CACHE_H
#define PPROF_AGENT_SYMBOLIZE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "symbolize.h"

struct sym_cache_entry {
	uint64_t pc;
	uint64_t object_id;              /* sym_object.id that answered, 0 for none */
	const struct sym_frame *frames;  /* arena memory, nframes long */
	uint32_t nframes;
	int mapping;                     /* index in the symbolizer's mappings, -1 for none */
	int used;
};

/* Zero-initialised is empty and ready. Not thread-safe. */
struct sym_cache {
	struct sym_cache_entry *slots;
	size_t count, cap;
};

struct sym_cache_entry *sym_cache_find(struct sym_cache *c, uint64_t pc);

/* Adds e (whose pc is not in the cache yet). Returns the stored entry, or
 * NULL when out of memory. */
struct sym_cache_entry *sym_cache_insert(struct sym_cache *c, const struct sym_cache_entry *e);

/* Keeps the entries for which keep returns nonzero; keep may update them
 * (not their pc). If memory runs out the cache is emptied instead. */
void sym_cache_filter(struct sym_cache *c, int (*keep)(struct sym_cache_entry *e, void *ctx),
                      void *ctx);

void sym_cache_free(struct sym_cache *c);

#endif
