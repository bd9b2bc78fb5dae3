/*
 * sampled_addrs.c — the filter and the exact sharded table of live sampled
 * allocations (see sampled_addrs.h).
 */
#include "sampled_addrs.h"

#include <string.h>

#include "core_sys.h"

#define SHARDS (1u << SAMPLED_SHARD_BITS)
#define SHARD_MIN_CAPACITY 256

atomic_uchar sampled_filter[1u << SAMPLED_FILTER_BITS];

struct shard {
	spinlock lock;
	struct sampled_alloc *slots;
	size_t capacity;   /* power of two, or 0 */
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

static void slot_put(struct sampled_alloc *slots, size_t mask, const struct sampled_alloc *a)
{
	size_t i = addr_hash(a->addr) & mask;
	while (slots[i].addr != 0)
		i = (i + 1) & mask;
	slots[i] = *a;
}

/* Doubles the shard's table (called with the shard lock held). */
static int shard_grow(struct shard *s)
{
	size_t capacity = s->capacity ? s->capacity * 2 : SHARD_MIN_CAPACITY;
	size_t len = capacity * sizeof(struct sampled_alloc);
	struct sampled_alloc *slots = core_sys.map(len);
	if (slots == NULL)
		return -1;
	for (size_t i = 0; i < s->capacity; i++)
		if (s->slots[i].addr != 0)
			slot_put(slots, capacity - 1, &s->slots[i]);
	if (s->slots)
		core_sys.unmap(s->slots, s->capacity * sizeof(struct sampled_alloc));
	s->slots = slots;
	s->capacity = capacity;
	return 0;
}

int sampled_addr_insert(const struct sampled_alloc *a)
{
	size_t slot = sampled_filter_slot(a->addr);
	struct shard *s = shard_of_slot(slot);
	int rc = 0;
	if (!spin_lock_unless_forking(&s->lock))
		return -1;
	if ((s->count + 1) * 2 > s->capacity && shard_grow(s) != 0) {
		rc = -1;
		goto out;
	}
	slot_put(s->slots, s->capacity - 1, a);
	s->count++;
	filter_step(slot, 1);
out:
	spin_unlock(&s->lock);
	return rc;
}

/* Backward-shift deletion keeps every probe chain unbroken without
 * tombstones. */
static void slot_delete(struct shard *s, size_t hole)
{
	size_t mask = s->capacity - 1;
	size_t i = hole;
	for (;;) {
		i = (i + 1) & mask;
		if (s->slots[i].addr == 0)
			break;
		size_t home = addr_hash(s->slots[i].addr) & mask;
		/* Move i into the hole unless its home lies cyclically in (hole, i]. */
		int home_between = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
		if (!home_between) {
			s->slots[hole] = s->slots[i];
			hole = i;
		}
	}
	memset(&s->slots[hole], 0, sizeof(s->slots[hole]));
}

int sampled_addr_remove(uintptr_t addr, struct sampled_alloc *out)
{
	size_t slot = sampled_filter_slot(addr);
	struct shard *s = shard_of_slot(slot);
	int found = 0;
	if (!spin_lock_unless_forking(&s->lock))
		return -1;
	if (s->capacity == 0)
		goto out;
	size_t mask = s->capacity - 1;
	for (size_t i = addr_hash(addr) & mask; s->slots[i].addr != 0; i = (i + 1) & mask) {
		if (s->slots[i].addr == addr) {
			*out = s->slots[i];
			slot_delete(s, i);
			s->count--;
			filter_step(slot, -1);
			found = 1;
			break;
		}
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
