/*
 * records.h — the C API's record copies (Go's MemProfile, BlockProfile,
 * MutexProfile, ThreadCreateProfile) with Go's `n, ok` contract: *n is
 * always the number of records there are; they are copied, and 1 returned,
 * only when the caller's array holds them all. The count and the copy walk
 * one fixed view of the buckets, so a bucket added meanwhile cannot make the
 * copy differ from the count.
 */
#ifndef PPROF_AGENT_RECORDS_H
#define PPROF_AGENT_RECORDS_H

#include <stddef.h>

#include <pprof_agent.h>

#include "kinds.h"

/* Copies the records of kind into out (an array of len records of the
 * kind's record_size); inuse_zero as Go's MemProfile. */
int kind_records(enum profile_kind kind, int inuse_zero, void *out, size_t len, size_t *n);

/* A bucket's stack in a record, truncated to PPROF_RECORD_STACK, unused
 * slots zero. */
void record_copy_stack(struct pprof_stack_record *r, const struct bucket *b);

#endif
