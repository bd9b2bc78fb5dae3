/*
 * sampled_addrs.c — the filter and the exact sharded table of live sampled
 * allocations (see sampled_addrs.h).
 */
#include "sampled_addrs.h"

#include <string.h>

#include "core.h"
#include "core_sys.h"

#define SHARDS (1u << SAMPLED_SHARD_BITS)
#define SHARD_MIN_CAPACITY 256

atomic_uchar sampled_filter[1u << SAMPLED_FILTER_BITS];

/* What a slot holds besides its address. */
struct payload {
	struct bucket *bucket;
	uint64_t size;
	uint64_t est_count;
};

/* A shard's table: buckets of BUCKET_KEYS addresses, one cache line each,
 * an address going into the first bucket with a free key from its home
 * on. A look-up compares a bucket's keys all at once (a mask, no branch per
 * key), so the free path takes the same branches whatever the addresses:
 * with backward-shift linear probing a free's branches followed the
 * probe chains, and were mispredicted once many sampled blocks were alive.
 * passed[b] counts the entries that went past bucket b because it was full
 * (each is counted in every bucket from its home to the one before its
 * own), so a look-up stops at the first bucket it need not pass, and a
 * removal undoes its entry's counts: no tombstones, nothing to rebuild. */
#define BUCKET_KEYS 8

struct shard {
	spinlock lock;
	uintptr_t *keys;           /* nbuckets * BUCKET_KEYS; 0 = empty */
	struct payload *payloads;  /* of keys[i] at [i] */
	uint32_t *passed;          /* per bucket */
	size_t nbuckets;           /* power of two, or 0 */
	size_t count;
} __attribute__((aligned(64)));

static struct shard shards[SHARDS] = {
	[0 ... SHARDS - 1] = { .lock = SPINLOCK_INIT(RANK_SAMPLED_ADDRS) },
};

static uint64_t addr_hash(uintptr_t addr)
{
	uint64_t h = (uint64_t)addr * 0xff51afd7ed558ccdULL;
	return h ^ (h >> 29);
}

/* An address's shard is its counter's top bits (sampled_filter_slot), so
 * a counter is only written under its shard's lock: plain loads and
 * stores, no locked instruction. */
static struct shard *shard_of_slot(size_t slot)
{
	return &shards[slot >> (SAMPLED_FILTER_BITS - SAMPLED_SHARD_BITS)];
}

static struct shard *shard_of(uintptr_t addr)
{
	return shard_of_slot(sampled_filter_slot(addr));
}

/* Shard lock held; slot is the address's sampled_filter_slot. */
static void filter_step(size_t slot, int by)
{
	atomic_uchar *c = &sampled_filter[slot];
	unsigned char v = atomic_load_explicit(c, memory_order_relaxed);
	if (v != 255 && (by > 0 || v != 0))
		atomic_store_explicit(c, (unsigned char)(v + by), memory_order_relaxed);
}

void sampled_filter_pin(const void *addr)
{
	struct shard *s = shard_of((uintptr_t)addr);
	spin_lock(&s->lock);
	atomic_store_explicit(&sampled_filter[sampled_filter_slot((uintptr_t)addr)], 255,
	                      memory_order_relaxed);
	spin_unlock(&s->lock);
}

/* The keys of a bucket equal to v, as bits. */
static inline unsigned key_mask(const uintptr_t *bucket_keys, uintptr_t v)
{
	unsigned m = 0;
#pragma GCC unroll 8
	for (unsigned j = 0; j < BUCKET_KEYS; j++)
		m |= (unsigned)(bucket_keys[j] == v) << j;
	return m;
}

static size_t table_bytes(size_t nbuckets)
{
	return nbuckets * (BUCKET_KEYS * (sizeof(uintptr_t) + sizeof(struct payload)) +
	                   sizeof(uint32_t));
}

struct table {
	uintptr_t *keys;
	struct payload *payloads;
	uint32_t *passed;
	size_t nbuckets;
};

static struct table table_of(struct shard *s)
{
	return (struct table){ s->keys, s->payloads, s->passed, s->nbuckets };
}

static void table_put(const struct table *t, uintptr_t addr, const struct payload *p)
{
	size_t mask = t->nbuckets - 1;
	for (size_t b = addr_hash(addr) & mask;; b = (b + 1) & mask) {
		unsigned free_keys = key_mask(&t->keys[b * BUCKET_KEYS], 0);
		if (likely(free_keys != 0)) {
			size_t i = b * BUCKET_KEYS + (size_t)__builtin_ctz(free_keys);
			t->keys[i] = addr;
			t->payloads[i] = *p;
			return;
		}
		t->passed[b]++;
	}
}

/* The slot holding addr, or -1. */
static long table_find(const struct table *t, uintptr_t addr)
{
	size_t mask = t->nbuckets - 1;
	size_t b = addr_hash(addr) & mask;
	for (size_t n = 0; n < t->nbuckets; n++, b = (b + 1) & mask) {
		unsigned m = key_mask(&t->keys[b * BUCKET_KEYS], addr);
		if (likely(m != 0))
			return (long)(b * BUCKET_KEYS + (size_t)__builtin_ctz(m));
		if (t->passed[b] == 0)
			break;
	}
	return -1;
}

static void table_delete(const struct table *t, size_t slot)
{
	size_t mask = t->nbuckets - 1;
	size_t own = slot / BUCKET_KEYS;
	for (size_t b = addr_hash(t->keys[slot]) & mask; b != own; b = (b + 1) & mask)
		t->passed[b]--;
	t->keys[slot] = 0;
}

/* Doubles the shard's table (called with the shard lock held). */
static int shard_grow(struct shard *s)
{
	size_t nbuckets = s->nbuckets ? s->nbuckets * 2 : SHARD_MIN_CAPACITY / BUCKET_KEYS;
	uintptr_t *keys = core_sys.map(table_bytes(nbuckets));
	if (keys == NULL)
		return -1;
	struct payload *payloads = (struct payload *)(void *)(keys + nbuckets * BUCKET_KEYS);
	struct table t = { keys, payloads, (uint32_t *)(void *)(payloads + nbuckets * BUCKET_KEYS),
		           nbuckets };
	for (size_t i = 0; i < s->nbuckets * BUCKET_KEYS; i++)
		if (s->keys[i] != 0)
			table_put(&t, s->keys[i], &s->payloads[i]);
	if (s->keys)
		core_sys.unmap(s->keys, table_bytes(s->nbuckets));
	s->keys = t.keys;
	s->payloads = t.payloads;
	s->passed = t.passed;
	s->nbuckets = nbuckets;
	return 0;
}

int sampled_addr_insert(const struct sampled_alloc *a)
{
	size_t slot = sampled_filter_slot(a->addr);
	struct shard *s = shard_of_slot(slot);
	int rc = 0;
	if (!spin_lock_unless_forking(&s->lock))
		return -1;
	if ((s->count + 1) * 2 > s->nbuckets * BUCKET_KEYS && shard_grow(s) != 0) {
		rc = -1;
		goto out;
	}
	const struct payload p = { a->bucket, a->size, a->est_count };
	struct table t = table_of(s);
	table_put(&t, a->addr, &p);
	s->count++;
	filter_step(slot, 1);
out:
	spin_unlock(&s->lock);
	return rc;
}

int sampled_addr_remove(uintptr_t addr, struct sampled_alloc *out)
{
	size_t slot = sampled_filter_slot(addr);
	struct shard *s = shard_of_slot(slot);
	int found = 0;
	if (!spin_lock_unless_forking(&s->lock))
		return -1;
	if (s->nbuckets == 0)
		goto out;
	struct table t = table_of(s);
	long i = table_find(&t, addr);
	if (i >= 0) {
		const struct payload *p = &t.payloads[i];
		*out = (struct sampled_alloc){ addr, p->bucket, p->size, p->est_count };
		table_delete(&t, (size_t)i);
		s->count--;
		filter_step(slot, -1);
		found = 1;
	}
out:
	spin_unlock(&s->lock);
	return found;
}

/* ---- frees charged later ---- */

#define LATER_SLOTS 256

static _Atomic uintptr_t later[LATER_SLOTS];
static atomic_int later_count;
static atomic_ullong later_lost;

void sampled_addr_remove_later(uintptr_t addr)
{
	size_t home = (size_t)(addr_hash(addr) % LATER_SLOTS);
	for (size_t i = 0; i < LATER_SLOTS; i++) {
		uintptr_t empty = 0;
		if (atomic_compare_exchange_strong(&later[(home + i) % LATER_SLOTS], &empty, addr)) {
			atomic_fetch_add(&later_count, 1);
			return;
		}
	}
	atomic_fetch_add_explicit(&later_lost, 1, memory_order_relaxed);
}

int sampled_addr_take_later(uintptr_t *addr)
{
	if (atomic_load_explicit(&later_count, memory_order_acquire) == 0)
		return 0;
	for (size_t i = 0; i < LATER_SLOTS; i++) {
		uintptr_t a = atomic_load_explicit(&later[i], memory_order_acquire);
		if (a != 0 && atomic_compare_exchange_strong(&later[i], &a, 0)) {
			atomic_fetch_sub(&later_count, 1);
			*addr = a;
			return 1;
		}
	}
	return 0;
}

uint64_t sampled_addr_later_lost(void)
{
	return atomic_load_explicit(&later_lost, memory_order_relaxed);
}

size_t sampled_addr_count(void)
{
	size_t n = 0;
	for (size_t i = 0; i < SHARDS; i++) {
		spin_lock(&shards[i].lock);
		n += shards[i].count;
		spin_unlock(&shards[i].lock);
	}
	return n;
}

void sampled_addrs_lock_all(void)
{
	for (size_t i = 0; i < SHARDS; i++)
		spin_lock_next_of_rank(&shards[i].lock);
}

void sampled_addrs_unlock_all(void)
{
	for (size_t i = SHARDS; i-- > 0;)
		spin_unlock(&shards[i].lock);
}
