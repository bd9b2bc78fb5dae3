/*
 * pc_cache.c — the PC → frames table (see pc_cache.h): linear
 * probing over a power-of-two array kept at most half full. Entries are only
 * removed by sym_cache_filter, which rebuilds the table, so probing needs no
 * tombstones.
 */
#include "pc_cache.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(uint64_t pc, size_t cap)
{
	return (size_t)((pc * 0x9E3779B97F4A7C15ULL) >> 17) & (cap - 1);
}

/* The slot holding pc, or the empty slot where it belongs. */
static struct sym_cache_entry *probe(struct sym_cache_entry *slots, size_t cap, uint64_t pc)
{
	size_t i = slot_of(pc, cap);
	while (slots[i].used && slots[i].pc != pc)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

struct sym_cache_entry *sym_cache_find(struct sym_cache *c, uint64_t pc)
{
	if (c->cap == 0)
		return NULL;
	struct sym_cache_entry *e = probe(c->slots, c->cap, pc);
	return e->used ? e : NULL;
}

/* Moves every entry into a fresh table of cap slots. */
static int rehash(struct sym_cache *c, size_t cap)
{
	struct sym_cache_entry *slots = calloc(cap, sizeof *slots);
	if (slots == NULL)
		return -1;
	for (size_t i = 0; i < c->cap; i++)
		if (c->slots[i].used)
			*probe(slots, cap, c->slots[i].pc) = c->slots[i];
	free(c->slots);
	c->slots = slots;
	c->cap = cap;
	return 0;
}

struct sym_cache_entry *sym_cache_insert(struct sym_cache *c, const struct sym_cache_entry *e)
{
	if (2 * (c->count + 1) > c->cap && rehash(c, c->cap ? 2 * c->cap : 1024) < 0)
		return NULL;
	struct sym_cache_entry *slot = probe(c->slots, c->cap, e->pc);
	*slot = *e;
	slot->used = 1;
	c->count++;
	return slot;
}

void sym_cache_filter(struct sym_cache *c, int (*keep)(struct sym_cache_entry *e, void *ctx),
                      void *ctx)
{
	size_t count = 0;
	for (size_t i = 0; i < c->cap; i++) {
		if (c->slots[i].used && !keep(&c->slots[i], ctx))
			c->slots[i].used = 0;
		count += c->slots[i].used;
	}
	c->count = count;
	if (c->cap > 0 && rehash(c, c->cap) < 0) {
		memset(c->slots, 0, c->cap * sizeof *c->slots);
		c->count = 0;
	}
}

void sym_cache_free(struct sym_cache *c)
{
	free(c->slots);
	memset(c, 0, sizeof *c);
}
