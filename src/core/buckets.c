/*
 * buckets.c — the stkbucket hash table (see buckets.h for the invariants).
 */
#include "buckets.h"

#include <string.h>

#include "arena.h"
#include "module_tags.h"
#include "rates.h"
#include "spinlock.h"
#include "stack.h"

#define BUCKHASH_SIZE 179999   /* Go's buckHashSize */

static struct bucket *_Atomic buckhash[BUCKHASH_SIZE];
static struct bucket *_Atomic bucket_lists[BUCKET_KINDS];
static atomic_size_t bucket_counts[BUCKET_KINDS];   /* the buckets in each list */
static spinlock buckets_lock = SPINLOCK_INIT(RANK_BUCKETS);

/* Overflow buckets are static so they exist however full the arena is. */
static struct overflow_bucket {
	struct bucket b;
	uintptr_t pc;
} overflow[BUCKET_KINDS];
static atomic_int overflow_used[BUCKET_KINDS];

static uint64_t stack_hash(enum bucket_kind kind, const uintptr_t *stk, size_t nstk)
{
	/* Go's mixing: h += pc; h += h << 10; h ^= h >> 6; then a final mix. */
	uint64_t h = (uint64_t)kind + 1;
	for (size_t i = 0; i < nstk; i++) {
		h += stk[i];
		h += h << 10;
		h ^= h >> 6;
	}
	h += h << 3;
	h ^= h >> 11;
	return h;
}

/* Whether b holds kind's stack of the real addresses stk, tagged or not. */
static int bucket_holds(const struct bucket *b, uint64_t h, enum bucket_kind kind,
                        const uintptr_t *stk, size_t nstk)
{
	if (b->hash != h || b->kind != (uint16_t)kind || b->nstk != nstk)
		return 0;
	/* A loop, not memcmp: stacks are a few words, and the call costs more
	 * than comparing them. */
	if (!b->tagged) {
		for (size_t i = 0; i < nstk; i++)
			if (b->stk[i] != stk[i])
				return 0;
		return 1;
	}
	for (size_t i = 0; i < nstk; i++)
		if (real_address(b->stk[i]) != stk[i])
			return 0;
	return 1;
}

/* The bucket holding stk that was confirmed in era, or NULL. */
static struct bucket *bucket_find(uint64_t h, enum bucket_kind kind, const uintptr_t *stk,
                                  size_t nstk, uint64_t era)
{
	struct bucket *b = atomic_load_explicit(&buckhash[h % BUCKHASH_SIZE], memory_order_acquire);
	for (; b; b = atomic_load_explicit(&b->next, memory_order_acquire))
		if (bucket_holds(b, h, kind, stk, nstk) &&
		    atomic_load_explicit(&b->era, memory_order_relaxed) == era)
			return b;
	return NULL;
}

/* The bucket whose frames are exactly key (tags included), or NULL. */
static struct bucket *bucket_find_key(uint64_t h, enum bucket_kind kind, const uintptr_t *key,
                                      size_t nstk)
{
	struct bucket *b = atomic_load_explicit(&buckhash[h % BUCKHASH_SIZE], memory_order_acquire);
	for (; b; b = atomic_load_explicit(&b->next, memory_order_acquire))
		if (b->hash == h && b->kind == (uint16_t)kind && b->nstk == nstk &&
		    memcmp(b->stk, key, nstk * sizeof(uintptr_t)) == 0)
			return b;
	return NULL;
}

static struct bucket *overflow_bucket(enum bucket_kind kind)
{
	struct bucket *b = &overflow[kind].b;
	if (!atomic_load_explicit(&overflow_used[kind], memory_order_relaxed)) {
		b->kind = kind;
		b->nstk = 1;
		b->stk[0] = BUCKET_OVERFLOW_PC;
		atomic_store_explicit(&overflow_used[kind], 1, memory_order_release);
	}
	return b;
}

/* The bucket of (kind, key), made if new, confirmed in era; NULL when the
 * memory cap is reached, and *gave_way set when a fork in progress holds
 * the lock. */
static struct bucket *bucket_insert(uint64_t h, enum bucket_kind kind, const uintptr_t *key,
                                    size_t nstk, int tagged, uint64_t era, int *gave_way)
{
	struct bucket *b;
	if (!spin_lock_unless_forking(&buckets_lock)) {
		*gave_way = 1;
		return NULL;
	}
	b = bucket_find_key(h, kind, key, nstk);
	if (b)
		goto out;
	b = arena_alloc(sizeof(struct bucket) + nstk * sizeof(uintptr_t));
	if (!b)
		goto out;
	b->hash = h;
	b->kind = (uint16_t)kind;
	b->tagged = (uint16_t)(tagged != 0);
	b->nstk = (uint32_t)nstk;
	atomic_store_explicit(&b->era, era, memory_order_relaxed);
	memcpy(b->stk, key, nstk * sizeof(uintptr_t));
	size_t i = h % BUCKHASH_SIZE;
	atomic_store_explicit(&b->next, atomic_load_explicit(&buckhash[i], memory_order_relaxed),
	                      memory_order_relaxed);
	atomic_store_explicit(&b->allnext,
	                      atomic_load_explicit(&bucket_lists[kind], memory_order_relaxed),
	                      memory_order_relaxed);
	atomic_store_explicit(&buckhash[i], b, memory_order_release);
	atomic_store_explicit(&bucket_lists[kind], b, memory_order_release);
	atomic_store_explicit(&bucket_counts[kind],
	                      atomic_load_explicit(&bucket_counts[kind], memory_order_relaxed) + 1,
	                      memory_order_relaxed);
out:
	spin_unlock(&buckets_lock);
	return b;
}

/* The era a bucket found or made now may be confirmed in: era, if no
 * dlclose was under way when it was read nor has begun since; else one no
 * lookup ever matches, so the next one looks again. */
static uint64_t confirmable(uint64_t era)
{
	return MODULE_ERA_STABLE(era) && module_era_now() == era ? era : UINT64_MAX;
}

/* The bucket of stk as the address space is now: its frames tagged
 * (module_tags.h), the bucket of exactly that key found or made, and
 * confirmed in era. Out of line, so the fast path keeps a small frame. */
static __attribute__((noinline)) struct bucket *
bucket_for_key_now(uint64_t h, enum bucket_kind kind, const uintptr_t *stk, size_t nstk,
                   uint64_t era, int *gave_way)
{
	uintptr_t tagged[STACK_MAX];
	const uintptr_t *key = stk;
	size_t ntagged = 0;
	if (era != 0 && nstk <= STACK_MAX) {
		ntagged = module_tag_stack(stk, tagged, nstk);
		key = tagged;
	}
	uint64_t confirm = confirmable(era);
	struct bucket *b = bucket_find_key(h, kind, key, nstk);
	if (b) {
		atomic_store_explicit(&b->era, confirm, memory_order_relaxed);
		return b;
	}
	return bucket_insert(h, kind, key, nstk, ntagged != 0, confirm, gave_way);
}

/*
 * The lookup. Fast: the bucket holding the captured addresses and confirmed
 * in the current era (in a program that never unloaded a library, every
 * bucket is confirmed in era 0). Otherwise the frames are tagged as the
 * address space is now, and the bucket of exactly that key is found or
 * made, and confirmed: the same library loaded again where it was finds its
 * old bucket, another library there gets a bucket of its own.
 */
struct bucket *bucket_for_stack(enum bucket_kind kind, const uintptr_t *stk, size_t nstk)
{
	static const uintptr_t unknown = BUCKET_UNKNOWN_PC;
	int gave_way = 0;
	if (nstk == 0) {
		stk = &unknown;
		nstk = 1;
	}
	uint64_t h = stack_hash(kind, stk, nstk);
	uint64_t era = module_era_now();
	struct bucket *b = bucket_find(h, kind, stk, nstk, era);
	if (!b)
		b = bucket_for_key_now(h, kind, stk, nstk, era, &gave_way);
	if (gave_way)
		return NULL;
	return b ? b : overflow_bucket(kind);
}

/* The calling thread's last bucket from bucket_for_caller, with the
 * capture it came from and the module era it was confirmed in: while a
 * capture would repeat that one (stack_capture_repeats) in the same era,
 * the bucket is the same, and neither the stack nor the table is walked. */
static __thread struct caller_memo {
	struct bucket *b;
	unsigned long capture;
	uint64_t era;
	enum bucket_kind kind;
} caller_memo;

static int is_overflow(const struct bucket *b)
{
	return b->nstk == 1 && b->stk[0] == BUCKET_OVERFLOW_PC;
}

struct bucket *bucket_for_caller(enum bucket_kind kind, const struct unwind_regs *from)
{
	struct caller_memo *memo = &caller_memo;
	size_t depth = (size_t)atomic_load_explicit(&stack_depth, memory_order_relaxed);
	uint64_t era = module_era_now();
	if (from && memo->b && memo->kind == kind && memo->era == era &&
	    atomic_load_explicit(&memo->b->era, memory_order_relaxed) == era &&
	    stack_capture_repeats(depth, from) == memo->capture)
		return memo->b;
	uintptr_t stk[STACK_MAX];
	memo->b = NULL;
	size_t n = stack_capture(stk, depth, from);
	struct bucket *b = bucket_for_stack(kind, stk, n);
	if (b && !is_overflow(b) && MODULE_ERA_STABLE(era) && stack_capture_number() != 0 &&
	    atomic_load_explicit(&b->era, memory_order_relaxed) == era && module_era_now() == era)
		*memo = (struct caller_memo){ b, stack_capture_number(), era, kind };
	return b;
}

struct bucket_view buckets_view(enum bucket_kind kind)
{
	struct bucket_view v;
	v.newest = atomic_load_explicit(&bucket_lists[kind], memory_order_acquire);
	v.overflow = atomic_load_explicit(&overflow_used[kind], memory_order_acquire)
	                 ? &overflow[kind].b
	                 : NULL;
	return v;
}

void buckets_view_visit(const struct bucket_view *view, bucket_visitor visit, void *arg)
{
	struct bucket *b = view->newest;
	for (; b; b = atomic_load_explicit(&b->allnext, memory_order_acquire))
		visit(b, arg);
	if (view->overflow)
		visit(view->overflow, arg);
}

size_t buckets_count(enum bucket_kind kind)
{
	return atomic_load_explicit(&bucket_counts[kind], memory_order_relaxed);
}

void buckets_visit(enum bucket_kind kind, bucket_visitor visit, void *arg)
{
	struct bucket_view v = buckets_view(kind);
	buckets_view_visit(&v, visit, arg);
}

void buckets_lock_all(void)
{
	spin_lock(&buckets_lock);
}

void buckets_unlock_all(void)
{
	spin_unlock(&buckets_lock);
}
