/*
 * sampled_addrs.h — the set of live sampled allocations, so that free()
 * can find the bucket and size of a sampled pointer and charge the free to
 * it. Go attaches a "special" to the span; we have no span, so:
 *
 *   - a counting filter of 64 Ki one-byte counters indexed by a hash of the
 *     address answers "certainly not sampled" with one relaxed byte load
 *     (the free fast path: no lock, no syscall); a counter is written only
 *     under the lock of the shard its address belongs to;
 *   - an exact table, sharded (one spin lock per shard, storage from
 *     mmap), holds the entries: open addressing over buckets of eight
 *     addresses, each bucket compared whole, so a free's branches do not
 *     depend on where its entry landed. It is exact: a free is never lost
 *     to a hash collision or charged to the wrong bucket.
 *
 * Ordering: an entry is inserted before the pointer is returned to the
 * host, and removed before the memory is handed back to the real allocator,
 * so the same address can never be in the table twice.
 *
 * A free that must not wait for a shard lock — the guard is raised, so the
 * thread may be a signal handler that interrupted this very thread inside
 * the table; or a fork is in progress — is queued instead
 * (sampled_addr_remove_later) and charged by the next sampled allocation,
 * before it inserts anything: the address can only come back from the
 * allocator after the free that queued it, so the old entry is always gone
 * before a new one for the same address goes in.
 * A counter that reaches 255 sticks there (it only costs false positives).
 */
#ifndef PPROF_AGENT_SAMPLED_ADDRS_H
#define PPROF_AGENT_SAMPLED_ADDRS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "spinlock.h"

struct bucket;

struct sampled_alloc {
	uintptr_t addr;         /* 0 = empty slot */
	struct bucket *bucket;
	uint64_t size;          /* requested bytes */
	uint64_t est_count;     /* weight x EST_ONE */
};

#define SAMPLED_FILTER_BITS 16
#define SAMPLED_SHARD_BITS 6
extern atomic_uchar sampled_filter[1u << SAMPLED_FILTER_BITS];

/* An address's counter: the top bits from the MiB it lies in, the rest
 * from the address. The top bits also choose its shard of the exact table,
 * so threads that allocate from memory of their own (glibc's per-thread
 * arenas give them that) write counters, take locks and touch slots that
 * no other thread does, and each counter belongs to one shard. */
static inline size_t sampled_filter_slot(uintptr_t addr)
{
	const int within_bits = SAMPLED_FILTER_BITS - SAMPLED_SHARD_BITS;
	const uint64_t mix = 0x9e3779b97f4a7c15ULL;
	uint64_t mib = ((uint64_t)(addr >> 20) * mix) >> (64 - SAMPLED_SHARD_BITS);
	uint64_t within = ((uint64_t)(addr >> 4) * mix) >> (64 - within_bits);
	return (size_t)(mib << within_bits | within);
}

/* The free path's first question: 0 means addr is certainly not sampled. */
static inline int sampled_addr_maybe(const void *addr)
{
	return atomic_load_explicit(&sampled_filter[sampled_filter_slot((uintptr_t)addr)],
	                            memory_order_relaxed) != 0;
}

/* Sends every free of addr to the slow path for good (the bootstrap
 * arena's blocks, which the next allocator must never see). Takes the
 * counter's shard lock, as every write of a counter does. */
void sampled_filter_pin(const void *addr);

/* Records a sampled allocation. Returns 0, or -1 when the table could not
 * grow (mmap failed) or a fork in progress holds the shard; the caller then
 * accounts the object as freed. */
int sampled_addr_insert(const struct sampled_alloc *a);

/* Removes addr; returns 1 and fills *out if it was sampled, 0 if not, -1
 * when a fork in progress holds the shard (queue it with _later). */
int sampled_addr_remove(uintptr_t addr, struct sampled_alloc *out);

/* Queues the removal of addr (lock-free, async-signal-safe). When the
 * queue is full the free is lost, and counted. */
void sampled_addr_remove_later(uintptr_t addr);
/* Claims one queued address into *addr; 0 when none is queued. */
int sampled_addr_take_later(uintptr_t *addr);
/* Queued frees lost because the queue was full. */
uint64_t sampled_addr_later_lost(void);

/* Live sampled allocations (for tests and verbose logs). */
size_t sampled_addr_count(void);

/* For fork: takes (releases) every shard lock, rank RANK_SAMPLED_ADDRS. */
void sampled_addrs_lock_all(void);
void sampled_addrs_unlock_all(void);

#endif
