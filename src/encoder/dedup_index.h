/*
 * dedup_index.h — a hash index that finds an existing table entry by content,
 * so the builder can deduplicate strings, mappings, functions and locations
 * in O(1) per lookup instead of scanning its tables.
 *
 * The index does not own the entries: it stores only entry numbers (1..N,
 * with 0 meaning "empty slot") and a 32-bit hash of each, and asks the caller
 * whether entry e matches a key. The caller keeps the entries in its own
 * arrays. Growing the index rehashes from the stored hashes, without calling
 * back. Like encoder_array, it is used reserve-then-insert: reserve may fail
 * with ENOMEM, insert after a successful reserve cannot.
 */
#ifndef PPROF_ENCODER_DEDUP_INDEX_H
#define PPROF_ENCODER_DEDUP_INDEX_H

#include <stddef.h>
#include <stdint.h>

/* The largest entry number an index can hold. */
#define DEDUP_INDEX_MAX_ENTRY (UINT32_MAX - 1)

struct dedup_slot {
	uint32_t hash;
	uint32_t entry;     /* 0: empty */
};

struct dedup_index {
	struct dedup_slot *slots;
	size_t capacity;    /* a power of two, or 0 */
	size_t count;
};

/* Does entry (of the caller's tables) have the content key? */
typedef int (*dedup_entry_matches)(const void *tables, uint32_t entry, const void *key);

void dedup_index_init(struct dedup_index *ix);
void dedup_index_free(struct dedup_index *ix);

/* The entry matching key, or 0 if there is none. */
uint32_t dedup_index_find(const struct dedup_index *ix, uint64_t hash,
                          dedup_entry_matches matches, const void *tables, const void *key);

/* Makes room for one more entry; 0, or -1 with errno ENOMEM (also when the
 * index already holds DEDUP_INDEX_MAX_ENTRY entries). */
int dedup_index_reserve(struct dedup_index *ix);

/* Adds entry under hash; the caller has reserved room and knows it is new. */
void dedup_index_insert(struct dedup_index *ix, uint64_t hash, uint32_t entry);

/* Hash building blocks: start from DEDUP_HASH_SEED, fold in words and bytes. */
#define DEDUP_HASH_SEED 0x9e3779b97f4a7c15ULL
uint64_t dedup_hash_word(uint64_t hash, uint64_t word);
uint64_t dedup_hash_bytes(uint64_t hash, const void *data, size_t len);

#endif
