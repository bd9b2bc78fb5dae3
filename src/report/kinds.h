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
	KIND_CPU,
	KIND_CPU_SINCE_START,
	KIND_THREADS,
	KIND_COUNT
};

#define MAX_SAMPLE_TYPES 4
#define MAX_ROW_LABELS 4
#define MAX_COUNTERS 6

struct profile_label;

struct value_type {
	const char *type, *unit;
};

/* One sample of a profile: a stack (a bucket's, or one a kind without
 * buckets took) and the values shown for it. */
struct row {
	const struct bucket *b;       /* NULL in a kind without buckets */
	const uintptr_t *stk;         /* return addresses, leaf first */
	size_t nstk;
	int64_t values[MAX_SAMPLE_TYPES];
	int64_t bytes_label;   /* the heap's "bytes" label; 0 = none */
	const struct profile_label *labels;   /* up to MAX_ROW_LABELS more */
	size_t nlabels;
};

struct profile_kind_info {
	const char *name;                 /* in file names, options and the API */
	enum bucket_kind bucket;          /* the buckets it reads (BUCKET_KINDS: none) */
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
	/* Not a page of the HTTP endpoint: a cpu profile covers a span of time
	 * (Go serves it as profile?seconds=N), it is no state to look at. */
	int no_page;
	/* The profile's time and duration (NULL: now, and none). */
	void (*interval)(int64_t *time_nanos, int64_t *duration_nanos);
	/* Called once the kind's file is written (NULL: nothing to do). */
	void (*file_written)(void);
	/* Fills r->values (and the label) from b; a row of zeros is dropped. */
	void (*fill_row)(const struct bucket *b, struct row *r);
	/* Deltas (delta.h), for the kinds whose records only grow (NULL:
	 * none): counters copies a bucket's record as plain numbers, and
	 * fill_counters makes the row of what happened between two copies
	 * (start NULL: since the beginning; fill_row is the same of the
	 * record as it is now). */
	void (*counters)(const struct bucket *b, uint64_t c[MAX_COUNTERS]);
	void (*fill_counters)(const uint64_t *end, const uint64_t *start, struct row *r);
	/* The C API's records: one of record_size bytes per bucket kept by
	 * record_wanted (NULL: every bucket), filled by copy_record. */
	size_t record_size;
	int (*record_wanted)(const struct bucket *b, int inuse_zero);
	void (*copy_record)(const struct bucket *b, void *record);
	/* A kind without buckets (threads) makes its rows itself, at the
	 * moment: take_rows points *rows at *n rows and returns what
	 * release_rows frees once they are written (NULL with errno on
	 * failure). NULL in the kinds made from buckets. */
	void *(*take_rows)(struct row **rows, size_t *n);
	void (*release_rows)(void *taken);
};

extern const struct profile_kind_info profile_kinds[KIND_COUNT];

/* The kind named name, or -1. */
int profile_kind_from_name(const char *name);

/* Whether row r of kind k is kept (has a value that is not zero). */
int profile_row_kept(const struct profile_kind_info *k, const struct row *r);

/* How many samples a profile of kind would have now (Go's Profile.Count). */
size_t profile_kind_count(enum profile_kind kind);

/* Whether kind has no sample at all (not one bucket; a kind without
 * buckets is never known to be empty). */
int profile_kind_is_empty(enum profile_kind kind);

#endif
