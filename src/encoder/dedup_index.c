/*
 * dedup_index.c — open-addressing hash index with linear probing (see
 * dedup_index.h). The table is kept at most half full, so a lookup probes
 * about 1.5 slots on average, and it doubles when it fills, so building an
 * index of n entries costs O(n) in total.
 */
#include <errno.h>
#include <string.h>

#include "dedup_index.h"
#include "encoder_sys.h"

void dedup_index_init(struct dedup_index *ix)
{
	ix->slots = NULL;
	ix->capacity = 0;
	ix->count = 0;
}

void dedup_index_free(struct dedup_index *ix)
{
	encoder_free(ix->slots);
	dedup_index_init(ix);
}

/* The stored hash is the top half of the 64-bit hash; the slot index comes
 * from its low bits, which the final mix in dedup_hash_word spreads well. */
static uint32_t short_hash(uint64_t hash)
{
	return (uint32_t)(hash >> 32);
}

uint32_t dedup_index_find(const struct dedup_index *ix, uint64_t hash,
                          dedup_entry_matches matches, const void *tables, const void *key)
{
	uint32_t wanted = short_hash(hash);
	size_t mask = ix->capacity - 1;
	size_t i;

	if (ix->capacity == 0)
		return 0;
	for (i = wanted & mask; ix->slots[i].entry != 0; i = (i + 1) & mask) {
		const struct dedup_slot *slot = &ix->slots[i];

		if (slot->hash == wanted && matches(tables, slot->entry, key))
			return slot->entry;
	}
	return 0;
}

static void place_slot(struct dedup_slot *slots, size_t capacity, struct dedup_slot slot)
{
	size_t mask = capacity - 1;
	size_t i = slot.hash & mask;

	while (slots[i].entry != 0)
		i = (i + 1) & mask;
	slots[i] = slot;
}

static int grow_slots(struct dedup_index *ix)
{
	size_t capacity = ix->capacity ? ix->capacity * 2 : 64;
	struct dedup_slot *slots;
	size_t i;

	if (capacity > SIZE_MAX / sizeof *slots)
		goto no_memory;
	slots = encoder_malloc(capacity * sizeof *slots);
	if (slots == NULL)
		goto no_memory;
	memset(slots, 0, capacity * sizeof *slots);
	for (i = 0; i < ix->capacity; i++)
		if (ix->slots[i].entry != 0)
			place_slot(slots, capacity, ix->slots[i]);
	encoder_free(ix->slots);
	ix->slots = slots;
	ix->capacity = capacity;
	return 0;
no_memory:
	errno = ENOMEM;
	return -1;
}

int dedup_index_reserve(struct dedup_index *ix)
{
	if (ix->count >= DEDUP_INDEX_MAX_ENTRY) {
		errno = ENOMEM;
		return -1;
	}
	if ((ix->count + 1) * 2 <= ix->capacity)
		return 0;
	return grow_slots(ix);
}

void dedup_index_insert(struct dedup_index *ix, uint64_t hash, uint32_t entry)
{
	struct dedup_slot slot = { short_hash(hash), entry };

	place_slot(ix->slots, ix->capacity, slot);
	ix->count++;
}

/* One multiply-xorshift round per word (the splitmix64 finalizer). */
uint64_t dedup_hash_word(uint64_t hash, uint64_t word)
{
	hash ^= word + DEDUP_HASH_SEED + (hash << 6) + (hash >> 2);
	hash ^= hash >> 30;
	hash *= 0xbf58476d1ce4e5b9ULL;
	hash ^= hash >> 27;
	hash *= 0x94d049bb133111ebULL;
	hash ^= hash >> 31;
	return hash;
}

/* Eight bytes at a time, then the tail and the length. */
uint64_t dedup_hash_bytes(uint64_t hash, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t word;

		memcpy(&word, p + i, 8);
		hash = dedup_hash_word(hash, word);
	}
	if (i < len) {
		uint64_t tail = 0;

		memcpy(&tail, p + i, len - i);
		hash = dedup_hash_word(hash, tail);
	}
	return dedup_hash_word(hash, len);
}
