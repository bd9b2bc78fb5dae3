/*
 * mem_tally.h — where a thread adds its sampled allocations and frees:
 * its own partial sums of a heap bucket's record, so that recording never
 * needs an atomic read-modify-write on a line another thread writes.
 *
 * Eight locked adds per sampled allocation and eight per free, all on one
 * cache line per bucket, made the sampled path slow even on one thread and
 * made two threads that allocate at the same call site bounce that line
 * between their cores at every event. Instead:
 *
 *   - a host thread the agent follows (the process's first thread, and
 *     every thread created through pthread_create after the agent loaded)
 *     takes one of TALLY_SLOTS slots at its first sampled event and gives it
 *     back when it ends (lifecycle's thread-end destructor). A slot has at
 *     most one owner at a time;
 *   - a bucket's record carries a list of tallies, one per slot that ever
 *     recorded there, each a set of the record's eight counters. Only the
 *     slot's owner writes a tally, with plain loads and stores (relaxed
 *     atomics, no lock prefix); a tally is made (from the arena) and pushed
 *     on the list the first time a slot records in that bucket, and is never
 *     removed. A slot's next owner goes on adding to the same tallies: they
 *     are partial sums, so whose they were does not matter;
 *   - threads the agent did not see start, threads still recording after
 *     their slot was given back (another key's destructor that frees), and
 *     every thread when all slots are taken or the arena is full, add to the
 *     record's own counters with atomic adds, as before.
 * The record's value is its own counters plus its tallies (mem_record_sum).
 * A reader may see one event half applied, as before; with no event in
 * flight the sum is exact.
 */
#ifndef PPROF_AGENT_MEM_TALLY_H
#define PPROF_AGENT_MEM_TALLY_H

#include <stdint.h>

#include "buckets.h"

#define TALLY_SLOTS 64

/* A mem_record as plain numbers, read by mem_record_sum. */
struct mem_sum {
	uint64_t allocs, frees;
	uint64_t alloc_bytes, free_bytes;
	uint64_t est_allocs, est_frees;
	uint64_t est_alloc_bytes, est_free_bytes;
};

/* One event's change to one side (allocations or frees) of a record;
 * taking an event back adds its negation (modulo 2^64). */
struct mem_change {
	uint64_t count, bytes, est_count, est_bytes;
};

/* Adds a change to a side of r, in the calling thread's tally when it has
 * one. Guard raised, no agent lock held (a new tally takes the arena's
 * lock). */
enum mem_side { MEM_ALLOC, MEM_FREE };
void mem_tally_add(struct mem_record *r, enum mem_side side, const struct mem_change *c);

/* The record's counters plus every tally's. */
void mem_record_sum(const struct mem_record *r, struct mem_sum *out);

/* The calling thread was created through the agent's pthread_create and
 * will be told when it ends: it takes a slot at its first event. */
void mem_tally_thread_begins(void);

/* The calling thread ends: its slot is free for another. */
void mem_tally_thread_ends(void);

/* In a forked child: only the forking thread exists, so only its slot
 * stays taken. */
void mem_tally_after_fork_child(void);

#endif
