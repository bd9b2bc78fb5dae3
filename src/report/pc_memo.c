/*
 * pc_memo.c — the per-build PC table (see pc_memo.h): entries in two
 * growing arrays, found through a direct-mapped cache of recent PCs, then a
 * dedup_index keyed by the PC's hash (the cache's look-up is inline in
 * pc_memo.h).
 */
#include "pc_memo.h"

#include <stdlib.h>
#include <string.h>

void pc_memo_init(struct pc_memo *m)
{
	memset(m->recent, 0, sizeof m->recent);
	dedup_index_init(&m->index);
	m->pcs = NULL;
	m->location_ids = NULL;
	m->n = m->cap = 0;
}

void pc_memo_free(struct pc_memo *m)
{
	dedup_index_free(&m->index);
	free(m->pcs);
	free(m->location_ids);
	pc_memo_init(m);
}

static int pc_matches(const void *tables, uint32_t entry, const void *key)
{
	const struct pc_memo *m = tables;
	return m->pcs[entry - 1] == *(const uintptr_t *)key;
}

static int grow(struct pc_memo *m)
{
	size_t cap = m->cap ? 2 * m->cap : 1024;
	uintptr_t *pcs = realloc(m->pcs, cap * sizeof *pcs);
	if (pcs != NULL)
		m->pcs = pcs;
	uint64_t *ids = realloc(m->location_ids, cap * sizeof *ids);
	if (pcs == NULL || ids == NULL)
		return -1;
	m->location_ids = ids;
	m->cap = cap;
	return 0;
}

/* The recent cache missed: the index, then a new entry. */
uint32_t pc_memo_add(struct pc_memo *m, uintptr_t pc, uint32_t *recent, int *added)
{
	*added = 0;
	uint64_t hash = dedup_hash_word(DEDUP_HASH_SEED, pc);
	uint32_t e = dedup_index_find(&m->index, hash, pc_matches, m, &pc);
	if (e != 0)
		return *recent = e;
	if ((m->n == m->cap && grow(m) != 0) || dedup_index_reserve(&m->index) != 0)
		return 0;
	m->pcs[m->n] = pc;
	m->location_ids[m->n] = 0;
	e = (uint32_t)++m->n;
	dedup_index_insert(&m->index, hash, e);
	*added = 1;
	return *recent = e;
}
