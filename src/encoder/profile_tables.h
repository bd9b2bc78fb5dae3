/*
 * profile_tables.h — the in-memory form of a profile, shared by the builder
 * (profile_builder.c, which fills it) and the writer (profile_writer.c, which
 * turns it into profile.proto bytes). Nothing else should include it.
 *
 * Every string is stored once, as an index into the string table. Mappings,
 * functions and locations live in arrays where id n is element n-1, and each
 * has a dedup_index so an identical one is found instead of added. Samples are
 * not deduplicated, and are kept as the bytes the writer emits for them
 * (sample_wire.h), back to back: a location id takes one to three bytes
 * there instead of eight, and nothing is copied again at write time.
 * Invariant: every id or string index stored here refers to an entry that
 * exists, so the writer never has to check.
 */
#ifndef PPROF_ENCODER_PROFILE_TABLES_H
#define PPROF_ENCODER_PROFILE_TABLES_H

#include <stdint.h>

#include "dedup_index.h"
#include "encoder_array.h"
#include "profile_builder.h"

struct value_type_record {
	int64_t type;   /* string index */
	int64_t unit;   /* string index */
};

struct mapping_record {
	uint64_t memory_start;
	uint64_t memory_limit;
	uint64_t file_offset;
	int64_t filename;
	int64_t build_id;
	int has_functions;
	int has_filenames;
	int has_line_numbers;
	int has_inline_frames;
};

struct function_record {
	int64_t name;
	int64_t system_name;
	int64_t filename;
	int64_t start_line;
};

struct line_record {
	uint64_t function_id;
	int64_t line;
};

struct location_record {
	uint64_t mapping_id;
	uint64_t address;
	size_t first_line;      /* into line_pool */
	size_t nlines;
};

struct label_record {
	int64_t key;
	int64_t str;
	int64_t num;
	int64_t num_unit;
};

struct profile_builder {
	struct encoder_array strings;           /* char *, [0] is "" */
	struct dedup_index string_index;
	/* The string interned last, by the caller's pointer: the same text
	 * passed again (a label key on every sample) skips the hash lookup;
	 * its contents are still compared. */
	const char *last_text;
	int64_t last_index;

	struct encoder_array mappings;          /* struct mapping_record */
	struct dedup_index mapping_index;
	struct encoder_array functions;         /* struct function_record */
	struct dedup_index function_index;
	struct encoder_array locations;         /* struct location_record */
	struct dedup_index location_index;
	struct encoder_array line_pool;         /* struct line_record */

	struct encoder_array sample_bytes;      /* unsigned char: each sample's Profile part */
	size_t nsamples;
	struct encoder_array label_scratch;     /* struct label_record: one sample's, interned */

	struct encoder_array sample_types;      /* struct value_type_record */
	struct value_type_record period_type;
	int64_t period;
	int64_t default_sample_type;
	int64_t time_nanos;
	int64_t duration_nanos;
	struct encoder_array comments;          /* int64_t string indices */
	int64_t drop_frames;
	int64_t keep_frames;
};

#endif
