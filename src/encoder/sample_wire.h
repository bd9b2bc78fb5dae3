/*
 * sample_wire.h — one sample, as the bytes of a Profile message that holds
 * only it, written without protobuf-c.
 *
 * Samples are most of a profile's messages, and packing each through
 * protobuf-c (sizing, then packing, a Profile around a Sample around its
 * Labels, all by descriptor) cost more than building the profile. The
 * encoding is simple enough to write directly: Profile.sample (field 2) is a
 * length-delimited Sample; Sample.location_id (1) and Sample.value (2) are
 * packed varints; each Sample.label (3) is a length-delimited Label whose
 * four int64 fields are left out when zero, as proto3 does. The bytes are
 * the same protobuf-c would write (tests/unit/test_encoder.c checks it).
 */
#ifndef PPROF_AGENT_SAMPLE_WIRE_H
#define PPROF_AGENT_SAMPLE_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "profile_tables.h"

struct sample_wire {
	const uint64_t *location_ids;
	size_t nlocations;
	const int64_t *values;
	size_t nvalues;
	const struct label_record *labels;
	size_t nlabels;
};

/* At most this many bytes hold the Profile part of s. */
size_t sample_wire_bound(const struct sample_wire *s);

/* Writes the Profile part holding s at out, which has room for
 * sample_wire_bound(s) bytes, in one pass (each length is written after
 * the contents it measures); returns the part's end. */
unsigned char *sample_wire_put(const struct sample_wire *s, unsigned char *out);

#endif
