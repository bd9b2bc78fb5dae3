/*
 * buckets.h — the stack-keyed tables of profiling records, a port of Go's
 * stkbucket (runtime/mprof.go). A bucket holds one call stack and the
 * record of one profile kind for that stack; it is found through a hash
 * table and also linked on a per-kind list that snapshots walk.
 *
 * Invariants (as in Go): none of the fields of a bucket header — hash,
 * kind, stack, next and allnext links — is modified after the bucket is
 * published, and buckets are never freed or moved. Lookups therefore take no
 * lock: they read the chain heads and links with acquire loads. Insertion
 * takes buckets_lock, looks again, and publishes the new bucket with a
 * release store. Records are updated by any thread without a lock (atomic
 * adds; heap records mostly in per-thread tallies, mem_tally.h) and read by
 * snapshots without a lock (a snapshot may see one event half-applied
 * across fields; the next snapshot is exact).
 *
 * Identity. A stack is its return addresses plus, for frames in code
 * loaded where an unloaded library used to be, the module instance they
 * ran in (module_tags.h, docs/module-identity.md): the same addresses in
 * two different libraries are two buckets. A lookup matches the captured
 * addresses and takes the bucket confirmed in the current module era (one
 * more load); only after a dlclose unloaded something does the next sample
 * of each stack tag its frames again and confirm (or make) its bucket.
 * The era is the one header field written after publication.
 *
 * Memory is capped (max_bucket_mem, via arena.c). An event that cannot
 * get a bucket of its own is charged to the kind's overflow bucket, whose
 * stack is the single pseudo-frame BUCKET_OVERFLOW_PC: the profile shows it
 * as a function named for the limit, so nothing vanishes silently.
 */
#ifndef PPROF_AGENT_BUCKETS_H
#define PPROF_AGENT_BUCKETS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

enum bucket_kind {
	BUCKET_HEAP,
	BUCKET_BLOCK,
	BUCKET_MUTEX,
	BUCKET_THREADCREATE,
	BUCKET_CPU,
	BUCKET_KINDS
};

/* Pseudo PCs, never real code addresses. */
#define BUCKET_OVERFLOW_PC ((uintptr_t)1)  /* bucket memory limit reached */
#define BUCKET_UNKNOWN_PC ((uintptr_t)2)   /* the unwinder found no frame */
#define BUCKET_LOST_PC ((uintptr_t)3)      /* cpu samples a full buffer lost */

/* Fixed-point scale of estimated (inverse-probability weighted) counts. */
#define EST_ONE 4096ULL

/* Go's memRecord, plus the unbiased estimates. The raw counts are what
 * MemProfile returns; the estimates are what the heap profile shows: each
 * sampled object adds its own weight 1/P(size), so a site that allocates
 * many different sizes is estimated as exactly (in expectation) as a site
 * with one size, with one bucket per stack whatever the sizes. The
 * counters here are what threads without a tally of their own add to; the
 * record's value is their sum with the tallies' (mem_record_sum). */
struct mem_record {
	atomic_ullong allocs, frees;            /* sampled objects */
	atomic_ullong alloc_bytes, free_bytes;  /* their requested bytes */
	atomic_ullong est_allocs, est_frees;    /* sum of weights, x EST_ONE */
	atomic_ullong est_alloc_bytes, est_free_bytes;  /* sum of size x weight */
	struct mem_tally *_Atomic tallies;      /* per-thread sums (mem_tally.h) */
};

/* Go's blockRecord: count is a weighted count (x EST_ONE), cycles are ns. */
struct block_record {
	atomic_ullong count;
	atomic_ullong cycles;
};

/* On-CPU samples of one stack (cpu_record.h): written only by the thread
 * that drains the CPU samples, under the snapshot lock. */
struct cpu_record {
	atomic_ullong samples;       /* since the last cpu file */
	atomic_ullong nanos;
	atomic_ullong api_samples;   /* since pprof_start_cpu_profile */
	atomic_ullong api_nanos;
};

struct bucket {
	struct bucket *_Atomic next;     /* hash chain */
	struct bucket *_Atomic allnext;  /* all buckets of this kind */
	uint64_t hash;                   /* of the stack's real addresses */
	uint16_t kind;
	uint16_t tagged;                 /* some frame of stk is tagged (module_tags.h) */
	uint32_t nstk;
	/* The module era in which the stack's identity was last confirmed:
	 * the one field of the header written after publication (see
	 * bucket_for_stack). */
	atomic_uint_least64_t era;
	union {
		struct mem_record mem;
		struct block_record block;
		struct cpu_record cpu;
		atomic_ullong count;         /* thread creations */
	} rec;
	uintptr_t stk[];                 /* return addresses, leaf first; some tagged */
};

/* Finds or creates the bucket of (kind, stack), stk being return addresses
 * as captured (tagged here where needed). When the cap is reached,
 * returns the kind's overflow bucket. NULL only while a fork is in progress
 * and holds the insertion lock: the event is then dropped. An empty stack
 * is recorded as BUCKET_UNKNOWN_PC. Must not be called with any agent lock
 * held. */
struct bucket *bucket_for_stack(enum bucket_kind kind, const uintptr_t *stk, size_t nstk);

/* The bucket of the calling thread's stack (captured up to stack_depth
 * frames, the agent's own frames cut): what every recording path uses.
 * NULL as for bucket_for_stack. The caller has raised the guard and holds
 * no agent lock. */
struct unwind_regs;
struct bucket *bucket_for_caller(enum bucket_kind kind, const struct unwind_regs *from);

/* A fixed view of a kind's buckets: those that existed when it was taken.
 * Buckets are only ever added at the head of the list, so walking a view
 * twice meets the same buckets both times. */
struct bucket_view {
	struct bucket *newest;
	struct bucket *overflow;   /* NULL while the overflow bucket is unused */
};

struct bucket_view buckets_view(enum bucket_kind kind);

/* Walks every bucket of the view, newest first, then the overflow bucket. */
typedef void (*bucket_visitor)(struct bucket *b, void *arg);
void buckets_view_visit(const struct bucket_view *view, bucket_visitor visit, void *arg);

/* The same over the buckets of kind as they are now. */
void buckets_visit(enum bucket_kind kind, bucket_visitor visit, void *arg);

/* How many buckets of kind there are (not counting the overflow bucket):
 * a size to allocate for a walk, which may meet a few more. */
size_t buckets_count(enum bucket_kind kind);

/* For fork: takes (releases) the insertion lock, rank RANK_BUCKETS. */
void buckets_lock_all(void);
void buckets_unlock_all(void);

#endif
