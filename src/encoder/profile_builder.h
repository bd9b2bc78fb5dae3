/*
 * profile_builder.h — builds one pprof profile (profile.proto) in memory and
 * writes it gzip-compressed. This is the whole of the encoder's public face:
 * the caller adds sample types, mappings, functions, locations and samples,
 * then asks for the bytes. The builder interns strings and deduplicates
 * functions, locations and mappings by content with hash tables, so a
 * profile of 100k samples and 1M locations is built in linear time.
 *
 * The encoder is a library, the counterpart of Go's runtime/pprof proto.go +
 * protobuf.go. The rules of src/encoder/: it knows nothing of hooks, threads
 * or sampling and includes nothing of the agent (the build gives it no agent
 * include path); it allocates only through encoder_sys.h and makes no
 * system call (the bytes go to the caller's profile_output).
 *
 * Error contract: functions returning int give 0 on success and -1 on failure
 * with errno set (ENOMEM for a failed allocation, the output's errno for I/O,
 * EINVAL for bad arguments such as a sample whose value count differs from
 * the number of sample types). Functions returning an id give 0 on failure.
 * After a failure the builder stays valid and can be freed; it never aborts.
 */
#ifndef PPROF_ENCODER_PROFILE_BUILDER_H
#define PPROF_ENCODER_PROFILE_BUILDER_H

#include <stddef.h>
#include <stdint.h>

typedef struct profile_builder profile_builder;

struct profile_mapping {
	uint64_t memory_start;
	uint64_t memory_limit;
	uint64_t file_offset;
	const char *filename;   /* may be NULL */
	const char *build_id;   /* hex text, may be NULL */
	int has_functions;
	int has_filenames;
	int has_line_numbers;
	int has_inline_frames;
};

/* One source line of a location; lines[0] is the innermost inlined callee. */
struct profile_line {
	uint64_t function_id;
	int64_t line;
};

/* A label: string when str != NULL, otherwise numeric (num, optional unit). */
struct profile_label {
	const char *key;
	const char *str;
	int64_t num;
	const char *num_unit;
};

profile_builder *profile_builder_new(void);
void profile_builder_free(profile_builder *pb);

/* Header. Sample types keep the order in which they are added. */
int profile_add_sample_type(profile_builder *pb, const char *type, const char *unit);
int profile_set_period(profile_builder *pb, const char *type, const char *unit, int64_t period);
int profile_set_default_sample_type(profile_builder *pb, const char *type);
void profile_set_time(profile_builder *pb, int64_t time_nanos, int64_t duration_nanos);
int profile_add_comment(profile_builder *pb, const char *comment);
int profile_set_drop_frames(profile_builder *pb, const char *regex);
int profile_set_keep_frames(profile_builder *pb, const char *regex);

/* Interns s and returns its string-table index (0 for NULL or ""); -1 on failure. */
int64_t profile_intern(profile_builder *pb, const char *s);

/* Content-deduplicated tables; each returns the (nonzero) id. */
uint64_t profile_add_mapping(profile_builder *pb, const struct profile_mapping *m);
uint64_t profile_add_function(profile_builder *pb, const char *name,
                              const char *system_name, const char *filename,
                              int64_t start_line);
uint64_t profile_add_location(profile_builder *pb, uint64_t mapping_id, uint64_t address,
                              const struct profile_line *lines, size_t nlines);

/* Samples are not merged; location_ids[0] is the leaf. nvalues must equal the
 * number of sample types added so far. */
int profile_add_sample(profile_builder *pb, const uint64_t *location_ids, size_t nlocations,
                       const int64_t *values, size_t nvalues,
                       const struct profile_label *labels, size_t nlabels);

size_t profile_sample_count(const profile_builder *pb);

/* Makes room at once for samples more samples with locations location ids
 * and labels labels in all (after the sample types are added): a builder
 * that knows its size grows its tables once instead of doubling them. An
 * optimisation only: returns -1 with ENOMEM when the room cannot be had,
 * and the samples can still be added one by one. */
int profile_reserve_samples(profile_builder *pb, size_t samples, size_t locations, size_t labels);

/* Where profile_write delivers the compressed bytes, a piece at a time:
 * returns 0 once all len bytes are taken, or -1 with errno to stop the
 * write. */
typedef int (*profile_output)(void *ctx, const void *bytes, size_t len);

/* Serialize with protobuf-c and gzip (one member). profile_write hands the
 * stream to output; profile_write_buffer returns a buffer the caller frees
 * with free(). */
int profile_write(profile_builder *pb, profile_output output, void *output_ctx);
int profile_write_buffer(profile_builder *pb, unsigned char **out, size_t *out_len);

#endif
