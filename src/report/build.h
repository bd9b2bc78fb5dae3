/*
 * build.h — building one profile of a kind from its buckets, the way
 * runtime/pprof's writeHeap/writeBlock/writeRuntimeProfile do: read the
 * records, turn them into rows of values (the kinds table), symbolize every
 * stack and hand the result to the encoder.
 */
#ifndef PPROF_AGENT_BUILD_H
#define PPROF_AGENT_BUILD_H

#include "kinds.h"
#include "profile_builder.h"
#include "symbolize.h"

/* Builds the profile of kind now. sym may be NULL: locations are then left
 * unsymbolized. Returns NULL with errno on failure. */
profile_builder *profile_build(enum profile_kind kind, symbolizer *sym);

/* Builds the profile of what happened between two copies of a kind's
 * counters (delta.h), from <= to: time_nanos is from's, duration_nanos the
 * span; a comment, starting with what (who asked: "seconds=30",
 * "delta=1"), says which values count the span and which are absolute.
 * Returns NULL with errno on failure. */
struct counts_copy;
profile_builder *profile_build_delta(const struct counts_copy *from, const struct counts_copy *to,
                                     symbolizer *sym, const char *what);

#endif
