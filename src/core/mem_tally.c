/*
 * mem_tally.c — per-thread partial sums of heap records (see mem_tally.h).
 */
#include "mem_tally.h"

#include <stdatomic.h>
#include <unistd.h>

#include "arena.h"
#include "core.h"

/* A slot's partial sums of one record; sums.tallies links to the next
 * tally of the same record. */
struct mem_tally {
	struct mem_record sums;
	uint32_t slot;
};

/* Each slot makes its tallies from chunks of its own, so a cache line holds
 * tallies of one slot only, and only that slot's owner writes it. Only the
 * owner touches its slot's chunk. */
#define TALLY_CHUNK 4096
static struct slot_chunk {
	unsigned char *next, *end;
} slot_chunks[TALLY_SLOTS];

/* The calling thread's slot: slot + 1 when it owns one; TALLY_UNDECIDED
 * until its first event; TALLY_WANTED for a thread that will take one
 * then; TALLY_NONE for a thread that records in the shared counters. */
enum { TALLY_UNDECIDED = 0, TALLY_NONE = -1, TALLY_WANTED = -2 };
static __thread int tally_slot;

static atomic_ullong slots_taken;

static int claim_slot(void)
{
	unsigned long long taken = atomic_load_explicit(&slots_taken, memory_order_relaxed);
	while (~taken != 0) {
		int i = __builtin_ctzll(~taken);
		if (atomic_compare_exchange_weak(&slots_taken, &taken, taken | (1ULL << i)))
			return i;
	}
	return -1;
}

/* The calling thread's slot, or -1 to use the shared counters. The
 * process's first thread is followed from the start; others are marked
 * wanted as they begin (mem_tally_thread_begins). */
static int my_slot(void)
{
	int s = tally_slot;
	if (likely(s > 0))
		return s - 1;
	if (s == TALLY_NONE)
		return -1;
	int slot = (s == TALLY_WANTED || gettid() == getpid()) ? claim_slot() : -1;
	tally_slot = slot >= 0 ? slot + 1 : TALLY_NONE;
	return slot;
}

void mem_tally_thread_begins(void)
{
	tally_slot = TALLY_WANTED;
}

void mem_tally_thread_ends(void)
{
	int s = tally_slot;
	tally_slot = TALLY_NONE;
	/* A signal handler that records on this thread from here on uses the
	 * shared counters, before the slot can have another owner. */
	atomic_signal_fence(memory_order_seq_cst);
	if (s > 0)
		atomic_fetch_and(&slots_taken, ~(1ULL << (s - 1)));
}

void mem_tally_after_fork_child(void)
{
	int s = tally_slot;
	atomic_store(&slots_taken, s > 0 ? 1ULL << (s - 1) : 0);
	if (s == TALLY_NONE)
		tally_slot = TALLY_UNDECIDED;
}

static struct mem_tally *tally_alloc(int slot)
{
	struct slot_chunk *c = &slot_chunks[slot];
	size_t size = (sizeof(struct mem_tally) + 15) & ~(size_t)15;
	if ((size_t)(c->end - c->next) < size) {
		unsigned char *chunk = arena_alloc_aligned(TALLY_CHUNK, 64);
		if (!chunk)
			return NULL;
		c->next = chunk;
		c->end = chunk + TALLY_CHUNK;
	}
	struct mem_tally *t = (struct mem_tally *)(void *)c->next;
	c->next += size;
	return t;
}

/* The tally of slot in r, made and pushed if it has none; NULL when the
 * arena cannot give one. */
static struct mem_record *tally_of(struct mem_record *r, int slot)
{
	struct mem_tally *t = atomic_load_explicit(&r->tallies, memory_order_acquire);
	for (; t; t = atomic_load_explicit(&t->sums.tallies, memory_order_acquire))
		if (t->slot == (uint32_t)slot)
			return &t->sums;
	t = tally_alloc(slot);
	if (!t)
		return NULL;
	t->slot = (uint32_t)slot;
	struct mem_tally *head = atomic_load_explicit(&r->tallies, memory_order_relaxed);
	do
		atomic_store_explicit(&t->sums.tallies, head, memory_order_relaxed);
	while (!atomic_compare_exchange_weak_explicit(&r->tallies, &head, t, memory_order_release,
	                                              memory_order_relaxed));
	return &t->sums;
}

static inline void add_owned(atomic_ullong *c, uint64_t d)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + d,
	                      memory_order_relaxed);
}

static inline void add_shared(atomic_ullong *c, uint64_t d)
{
	atomic_fetch_add_explicit(c, d, memory_order_relaxed);
}

/* The four counters of one side of a record. */
struct side_counters {
	atomic_ullong *count, *bytes, *est_count, *est_bytes;
};

static inline struct side_counters side_of(struct mem_record *r, enum mem_side side)
{
	if (side == MEM_ALLOC)
		return (struct side_counters){ &r->allocs, &r->alloc_bytes, &r->est_allocs,
			                       &r->est_alloc_bytes };
	return (struct side_counters){ &r->frees, &r->free_bytes, &r->est_frees,
		                       &r->est_free_bytes };
}

void mem_tally_add(struct mem_record *r, enum mem_side side, const struct mem_change *c)
{
	int slot = my_slot();
	struct mem_record *own = slot >= 0 ? tally_of(r, slot) : NULL;
	if (likely(own != NULL)) {
		struct side_counters f = side_of(own, side);
		add_owned(f.count, c->count);
		add_owned(f.bytes, c->bytes);
		add_owned(f.est_count, c->est_count);
		add_owned(f.est_bytes, c->est_bytes);
	} else {
		struct side_counters f = side_of(r, side);
		add_shared(f.count, c->count);
		add_shared(f.bytes, c->bytes);
		add_shared(f.est_count, c->est_count);
		add_shared(f.est_bytes, c->est_bytes);
	}
}

static void add_sums(const struct mem_record *r, struct mem_sum *out)
{
	out->allocs += atomic_load_explicit(&r->allocs, memory_order_relaxed);
	out->frees += atomic_load_explicit(&r->frees, memory_order_relaxed);
	out->alloc_bytes += atomic_load_explicit(&r->alloc_bytes, memory_order_relaxed);
	out->free_bytes += atomic_load_explicit(&r->free_bytes, memory_order_relaxed);
	out->est_allocs += atomic_load_explicit(&r->est_allocs, memory_order_relaxed);
	out->est_frees += atomic_load_explicit(&r->est_frees, memory_order_relaxed);
	out->est_alloc_bytes += atomic_load_explicit(&r->est_alloc_bytes, memory_order_relaxed);
	out->est_free_bytes += atomic_load_explicit(&r->est_free_bytes, memory_order_relaxed);
}

void mem_record_sum(const struct mem_record *r, struct mem_sum *out)
{
	*out = (struct mem_sum){ 0 };
	add_sums(r, out);
	const struct mem_tally *t = atomic_load_explicit(&r->tallies, memory_order_acquire);
	for (; t; t = atomic_load_explicit(&t->sums.tallies, memory_order_acquire))
		add_sums(&t->sums, out);
}
