/*
 * kinds.h — the table of profile kinds, as runtime/pprof has one table of
 * Profiles: for each kind its name, the buckets it reads, its sample types
 * and period, whether it is written at a snapshot, how a bucket becomes a
 * row of values, and how a record is copied for the C API. Adding a kind is
 * adding a row here (and the files of its own); nothing else switches on
 * the kind.
 */
#ifndef PPROF_AGENT_KINDS_H
#define PPROF_AGENT_KINDS_H

#include <stddef.h>
#include <stdint.h>

#include "buckets.h"

enum profile_kind {
	KIND_HEAP,
	KIND_ALLOCS,
	KIND_BLOCK,
	KIND_MUTEX,
	KIND_THREADCREATE,
	KIND_COUNT
};

#define MAX_SAMPLE_TYPES 4

struct value_type {
	const char *type, *unit;
};

/* One sample of a profile: a bucket's stack and the values shown for it. */
struct row {
	const struct bucket *b;
	int64_t values[MAX_SAMPLE_TYPES];
	int64_t bytes_label;   /* the heap's "bytes" label; 0 = none */
};

struct profile_kind_info {
	const char *name;                 /* in file names, options and the API */
	enum bucket_kind bucket;          /* the buckets it reads */
	struct value_type types[MAX_SAMPLE_TYPES];  /* sample types, count first */
	size_t ntypes;
	struct value_type period_type;
	int64_t (*period)(void);          /* the period written */
	const char *default_type;         /* NULL: pprof shows the last type */
	const char *drop_frames;          /* pprof's drop_frames regex; NULL: none */
	int (*written)(void);             /* written to a file at each snapshot */
	/* Writes a line for the profile's comments into buf and returns 1, or
	 * returns 0 when the kind has nothing to say (NULL: never). */
	int (*note)(char *buf, size_t len);
	/* Fills r->values (and the label) from b; a row of zeros is dropped. */
	void (*fill_row)(const struct bucket *b, struct row *r);
	/* The C API's records: one of record_size bytes per bucket kept by
	 * record_wanted (NULL: every bucket), filled by copy_record. */
	size_t record_size;
	int (*record_wanted)(const struct bucket *b, int inuse_zero);
	void (*copy_record)(const struct bucket *b, void *record);
};

extern const struct profile_kind_info profile_kinds[KIND_COUNT];

/* The kind named name, or -1. */
int profile_kind_from_name(const char *name);

/* Whether kind has no sample at all (not one bucket). */
int profile_kind_is_empty(enum profile_kind kind);

#endif
