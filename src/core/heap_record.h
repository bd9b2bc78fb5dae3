/*
 * heap_record.h — what happens to a sampled allocation and to the free of
 * one: Go's mProf_Malloc and mProf_Free. The hooks call these only on the
 * sampled path (heap_record_alloc) or when the filter says the pointer may
 * be sampled (heap_record_free).
 */
#ifndef PPROF_AGENT_HEAP_RECORD_H
#define PPROF_AGENT_HEAP_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "sampled_addrs.h"

struct unwind_regs;

/* Captures the stack (from from: stack_capture), finds the bucket, adds
 * the sample and remembers p. Called from a hook with the guard lowered;
 * raises it itself. */
void heap_record_alloc(void *p, size_t size, const struct unwind_regs *from);

/* If p is a live sampled allocation, charges its free and returns 1 with
 * the entry in *out (so a failed realloc can put it back). With the guard
 * raised (a signal handler may have interrupted this thread inside the
 * table) or a fork in progress, the free is queued and charged later, and
 * 0 returned. */
int heap_record_free(void *p, struct sampled_alloc *out);

/* Undoes heap_record_free for a realloc that failed and left p in place. */
void heap_restore(const struct sampled_alloc *a);

/* The estimated bytes of a sampled object: size x weight, computed the
 * same way at alloc and free so that they cancel exactly. */
uint64_t heap_est_bytes(uint64_t size, uint64_t est_count);

#endif
