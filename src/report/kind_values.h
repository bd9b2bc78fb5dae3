/*
 * kind_values.h — the functions the kinds table (kinds.c) points at, one
 * file per family of kinds: heap_kind.c (heap, allocs), contention_kind.c
 * (block, mutex), threadcreate_kind.c, cpu_kind.c, threads_kind.c. Each file
 * knows its bucket record: how it becomes a row of values and a record of the
 * C API (the threads kind has no buckets: it takes its rows at the moment).
 */
#ifndef PPROF_AGENT_KIND_VALUES_H
#define PPROF_AGENT_KIND_VALUES_H

#include <stddef.h>
#include <stdint.h>

#include "kinds.h"

/* heap_kind.c */
extern const char heap_allocator_frames[];
int64_t heap_period(void);
int heap_written(void);
void heap_counters(const struct bucket *b, uint64_t c[MAX_COUNTERS]);
void heap_fill_counters(const uint64_t *end, const uint64_t *start, struct row *r);
void heap_fill_row(const struct bucket *b, struct row *r);
int heap_record_wanted(const struct bucket *b, int inuse_zero);
void heap_copy_record(const struct bucket *b, void *record);

/* contention_kind.c */
int block_written(void);
int mutex_written(void);
int mutex_note(char *buf, size_t len);
void contention_counters(const struct bucket *b, uint64_t c[MAX_COUNTERS]);
void contention_fill_counters(const uint64_t *end, const uint64_t *start, struct row *r);
void contention_fill_row(const struct bucket *b, struct row *r);
void contention_copy_record(const struct bucket *b, void *record);

/* threadcreate_kind.c */
int threadcreate_written(void);
void count_counters(const struct bucket *b, uint64_t c[MAX_COUNTERS]);
void count_fill_counters(const uint64_t *end, const uint64_t *start, struct row *r);
void count_fill_row(const struct bucket *b, struct row *r);
void stack_copy_record(const struct bucket *b, void *record);

/* cpu_kind.c */
int64_t cpu_period(void);
int cpu_written(void);
int cpu_note(char *buf, size_t len);
void cpu_fill_row(const struct bucket *b, struct row *r);
void cpu_interval(int64_t *time_nanos, int64_t *duration_nanos);
void cpu_file_written(void);
void cpu_api_fill_row(const struct bucket *b, struct row *r);
void cpu_api_interval(int64_t *time_nanos, int64_t *duration_nanos);

/* threads_kind.c */
int threads_written(void);
void *threads_take_rows(struct row **rows, size_t *n);
void threads_release_rows(void *taken);

/* Counter i of end less its value at start (start NULL: since the
 * beginning; a counter that went back, by an event taken back, is 0). */
static inline uint64_t counter_since(const uint64_t *end, const uint64_t *start, int i)
{
	uint64_t from = start ? start[i] : 0;
	return end[i] > from ? end[i] - from : 0;
}

/* The period of kinds that count events one by one. */
int64_t period_one(void);

#endif
