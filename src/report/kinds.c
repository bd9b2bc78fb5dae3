/*
 * kinds.c — the table of profile kinds (see kinds.h). The strings are Go's
 * own, so pprof's shortcuts (-inuse_space, -alloc_objects, -contentions,
 * -mean_delay, ...) work on our files as on Go's; the count type is always
 * first because -mean_delay divides by value 0.
 */
#include "kinds.h"

#include <string.h>

#include <pprof_agent.h>

#include "kind_values.h"

#define HEAP_TYPES \
	{ { "alloc_objects", "count" }, { "alloc_space", "bytes" }, \
	  { "inuse_objects", "count" }, { "inuse_space", "bytes" } }
#define CONTENTION_TYPES { { "contentions", "count" }, { "delay", "nanoseconds" } }
#define HEAP_COUNTERS .counters = heap_counters, .fill_counters = heap_fill_counters
#define CONTENTION_COUNTERS \
	.counters = contention_counters, .fill_counters = contention_fill_counters

const struct profile_kind_info profile_kinds[KIND_COUNT] = {
	[KIND_HEAP] = {
		.name = "heap", .bucket = BUCKET_HEAP,
		.types = HEAP_TYPES, .ntypes = 4,
		.period_type = { "space", "bytes" }, .period = heap_period,
		.default_type = NULL,   /* inuse_space, the last */
		.drop_frames = heap_allocator_frames,
		.written = heap_written, .fill_row = heap_fill_row, HEAP_COUNTERS,
		.record_size = sizeof(struct pprof_mem_record),
		.record_wanted = heap_record_wanted, .copy_record = heap_copy_record,
	},
	[KIND_ALLOCS] = {
		.name = "allocs", .bucket = BUCKET_HEAP,
		.types = HEAP_TYPES, .ntypes = 4,
		.period_type = { "space", "bytes" }, .period = heap_period,
		.default_type = "alloc_space",
		.drop_frames = heap_allocator_frames,
		.written = NULL,        /* the heap file holds the same samples */
		.fill_row = heap_fill_row, HEAP_COUNTERS,
		.record_size = sizeof(struct pprof_mem_record),
		.record_wanted = heap_record_wanted, .copy_record = heap_copy_record,
	},
	[KIND_BLOCK] = {
		.name = "block", .bucket = BUCKET_BLOCK,
		.types = CONTENTION_TYPES, .ntypes = 2,
		.period_type = { "contentions", "count" }, .period = period_one,
		.written = block_written, .fill_row = contention_fill_row, CONTENTION_COUNTERS,
		.record_size = sizeof(struct pprof_block_record),
		.copy_record = contention_copy_record,
	},
	[KIND_MUTEX] = {
		.name = "mutex", .bucket = BUCKET_MUTEX,
		.types = CONTENTION_TYPES, .ntypes = 2,
		.period_type = { "contentions", "count" }, .period = period_one,
		.written = mutex_written, .note = mutex_note, .fill_row = contention_fill_row,
		CONTENTION_COUNTERS,
		.record_size = sizeof(struct pprof_block_record),
		.copy_record = contention_copy_record,
	},
	[KIND_THREADCREATE] = {
		.name = "threadcreate", .bucket = BUCKET_THREADCREATE,
		.types = { { "threadcreate", "count" } }, .ntypes = 1,
		.period_type = { "threadcreate", "count" }, .period = period_one,
		.written = threadcreate_written, .fill_row = count_fill_row,
		.counters = count_counters, .fill_counters = count_fill_counters,
		.record_size = sizeof(struct pprof_stack_record),
		.copy_record = stack_copy_record,
	},
	[KIND_CPU] = {
		.name = "cpu", .bucket = BUCKET_CPU, .no_page = 1,
		.types = { { "samples", "count" }, { "cpu", "nanoseconds" } }, .ntypes = 2,
		.period_type = { "cpu", "nanoseconds" }, .period = cpu_period,
		.written = cpu_written, .note = cpu_note, .interval = cpu_interval,
		.file_written = cpu_file_written, .fill_row = cpu_fill_row,
		.record_size = sizeof(struct pprof_stack_record),
		.copy_record = stack_copy_record,
	},
	[KIND_CPU_SINCE_START] = {   /* pprof_start_cpu_profile's, never a file */
		.name = "cpu_since_start", .bucket = BUCKET_CPU, .no_page = 1,
		.types = { { "samples", "count" }, { "cpu", "nanoseconds" } }, .ntypes = 2,
		.period_type = { "cpu", "nanoseconds" }, .period = cpu_period,
		.note = cpu_note, .interval = cpu_api_interval, .fill_row = cpu_api_fill_row,
		.record_size = sizeof(struct pprof_stack_record),
		.copy_record = stack_copy_record,
	},
	[KIND_THREADS] = {
		.name = "threads", .bucket = BUCKET_KINDS,
		.types = { { "threads", "count" } }, .ntypes = 1,
		.period_type = { "threads", "count" }, .period = period_one,
		.written = threads_written,
		.take_rows = threads_take_rows, .release_rows = threads_release_rows,
	},
};

int profile_kind_from_name(const char *name)
{
	for (int k = 0; k < KIND_COUNT; k++)
		if (name && strcmp(name, profile_kinds[k].name) == 0)
			return k;
	return -1;
}

int64_t period_one(void)
{
	return 1;
}

int profile_row_kept(const struct profile_kind_info *k, const struct row *r)
{
	for (size_t i = 0; i < k->ntypes; i++)
		if (r->values[i] != 0)
			return 1;
	return 0;
}

struct row_count {
	const struct profile_kind_info *kind;
	size_t n;
};

static void count_row(struct bucket *b, void *arg)
{
	struct row_count *c = arg;
	struct row r = { .b = b };
	c->kind->fill_row(b, &r);
	c->n += profile_row_kept(c->kind, &r);
}

size_t profile_kind_count(enum profile_kind kind)
{
	const struct profile_kind_info *k = &profile_kinds[kind];
	if (k->take_rows) {   /* no buckets: the rows as they are now */
		struct row *rows;
		size_t n = 0;
		void *taken = k->take_rows(&rows, &n);
		k->release_rows(taken);
		return taken ? n : 0;
	}
	struct row_count c = { k, 0 };
	buckets_visit(profile_kinds[kind].bucket, count_row, &c);
	return c.n;
}

int profile_kind_is_empty(enum profile_kind kind)
{
	if (profile_kinds[kind].take_rows)
		return 0;
	struct bucket_view v = buckets_view(profile_kinds[kind].bucket);
	return v.newest == NULL && v.overflow == NULL;
}
