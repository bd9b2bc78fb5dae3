/*
 * delta.h — what happened over a span of time, from the records
 * themselves: a copy of the counters of every bucket of a kind at one
 * moment (counts_copy_take), and the profile of the difference between two
 * copies (profile_build_delta, build.h). Buckets are never freed or moved,
 * so a bucket's address is its identity across copies; a bucket missing
 * from the first copy appeared in the span and counts from zero. Used by
 * the HTTP endpoint's ?seconds=N and the periodic files' delta=1.
 */
#ifndef PPROF_AGENT_DELTA_H
#define PPROF_AGENT_DELTA_H

#include <stddef.h>
#include <stdint.h>

#include "kinds.h"

struct counted {
	const struct bucket *b;
	uint64_t c[MAX_COUNTERS];
};

struct counts_copy {
	enum profile_kind kind;
	int64_t time_nanos;   /* when it was taken (wall clock) */
	struct counted *v;    /* sorted by bucket address */
	size_t n;
};

/* Whether kind can be counted over a span (its kinds-table row has
 * counters). */
int kind_has_deltas(enum profile_kind kind);

/* Copies the counters of every bucket of kind now into *out. Returns 0,
 * or -1 with errno (EINVAL: the kind has no deltas; ENOMEM). */
int counts_copy_take(enum profile_kind kind, struct counts_copy *out);

void counts_copy_free(struct counts_copy *copy);

/* The counters of b in copy, or NULL when b was not there yet. */
const uint64_t *counts_copy_find(const struct counts_copy *copy, const struct bucket *b);

#endif
