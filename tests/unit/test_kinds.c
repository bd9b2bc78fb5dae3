/*
 * test_kinds.c — unit tests of the kinds table (src/report/kinds.c and the
 * files it points at): every kind is complete and named once; the sample
 * and period types are Go's own strings with the count first; which kinds
 * are written follows the rates; and each family turns its bucket record
 * into the row Go would show (heap estimates and their "bytes" label, a
 * contention count never below one, thread counts), with the mutex
 * profile saying when waits could not be followed.
 */
#include <check.h>
#include <string.h>

#include "colliding_locks.h"
#include "kinds.h"
#include "lock_waiters.h"
#include "rates.h"
#include "run_suite.h"

START_TEST(every_kind_is_complete_and_named_once)
{
	for (int k = 0; k < KIND_COUNT; k++) {
		const struct profile_kind_info *info = &profile_kinds[k];
		ck_assert_ptr_nonnull(info->name);
		ck_assert_int_eq(profile_kind_from_name(info->name), k);
		ck_assert_uint_ge(info->ntypes, 1);
		ck_assert_uint_le(info->ntypes, MAX_SAMPLE_TYPES);
		ck_assert_str_eq(info->types[0].unit, "count");
		ck_assert_ptr_nonnull(info->period);
		if (info->take_rows) {   /* a kind without buckets */
			ck_assert_ptr_nonnull(info->release_rows);
			ck_assert_int_eq(info->bucket, BUCKET_KINDS);
			ck_assert_int_eq(profile_kind_is_empty(k), 0);
			continue;
		}
		ck_assert_ptr_nonnull(info->fill_row);
		ck_assert_ptr_nonnull(info->copy_record);
		ck_assert_uint_gt(info->record_size, 0);
		if (info->default_type) {
			int found = 0;
			for (size_t i = 0; i < info->ntypes; i++)
				found |= strcmp(info->types[i].type, info->default_type) == 0;
			ck_assert_msg(found, "%s: default type %s is not a sample type", info->name,
			              info->default_type);
		}
	}
	ck_assert_int_eq(profile_kind_from_name("goroutine"), -1);
	ck_assert_int_eq(profile_kind_from_name(NULL), -1);
}
END_TEST

static void assert_types(enum profile_kind k, const char *const *want, size_t n)
{
	ck_assert_uint_eq(profile_kinds[k].ntypes, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(profile_kinds[k].types[i].type, want[2 * i]);
		ck_assert_str_eq(profile_kinds[k].types[i].unit, want[2 * i + 1]);
	}
}

START_TEST(types_are_gos)
{
	static const char *const heap[] = { "alloc_objects", "count", "alloc_space", "bytes",
		                            "inuse_objects", "count", "inuse_space", "bytes" };
	static const char *const contention[] = { "contentions", "count", "delay", "nanoseconds" };
	static const char *const threads[] = { "threadcreate", "count" };
	static const char *const all_threads[] = { "threads", "count" };
	assert_types(KIND_HEAP, heap, 4);
	assert_types(KIND_ALLOCS, heap, 4);
	assert_types(KIND_BLOCK, contention, 2);
	assert_types(KIND_MUTEX, contention, 2);
	assert_types(KIND_THREADCREATE, threads, 1);
	assert_types(KIND_THREADS, all_threads, 1);
	ck_assert_str_eq(profile_kinds[KIND_THREADS].name, "threads");
	ck_assert_str_eq(profile_kinds[KIND_HEAP].period_type.type, "space");
	ck_assert_str_eq(profile_kinds[KIND_MUTEX].period_type.type, "contentions");
	ck_assert_ptr_null(profile_kinds[KIND_HEAP].default_type);
	ck_assert_str_eq(profile_kinds[KIND_ALLOCS].default_type, "alloc_space");
	rates_set_heap(65536);
	ck_assert_int_eq(profile_kinds[KIND_HEAP].period(), 65536);
	ck_assert_int_eq(profile_kinds[KIND_BLOCK].period(), 1);
}
END_TEST

START_TEST(written_kinds_follow_the_rates)
{
	for (int k = 0; k < KIND_COUNT; k++)
		if (profile_kinds[k].written)
			ck_assert_msg(!profile_kinds[k].written(), "%s written", profile_kinds[k].name);
	ck_assert_ptr_null(profile_kinds[KIND_ALLOCS].written);   /* the heap file has it */
	rates_set_heap(1);
	rates_set_heap(0);
	rates_set_block(5);
	rates_set_threadcreate(1);
	ck_assert(profile_kinds[KIND_HEAP].written());
	ck_assert(profile_kinds[KIND_BLOCK].written());
	ck_assert(!profile_kinds[KIND_MUTEX].written());
	ck_assert(profile_kinds[KIND_THREADCREATE].written());
	ck_assert(!profile_kinds[KIND_THREADS].written());
	rates_set_threads(1);
	ck_assert(profile_kinds[KIND_THREADS].written());
}
END_TEST

static struct bucket *bucket(enum bucket_kind kind, uintptr_t pc)
{
	return bucket_for_stack(kind, &pc, 1);
}

START_TEST(heap_row_shows_estimates_and_mean_size)
{
	struct bucket *b = bucket(BUCKET_HEAP, 0x10);
	struct mem_record *m = &b->rec.mem;
	atomic_store(&m->allocs, 3);
	atomic_store(&m->alloc_bytes, 300);
	atomic_store(&m->frees, 1);
	atomic_store(&m->free_bytes, 100);
	atomic_store(&m->est_allocs, 6 * EST_ONE + EST_ONE / 2);   /* 6.5 objects */
	atomic_store(&m->est_alloc_bytes, 650);
	atomic_store(&m->est_frees, 2 * EST_ONE);
	atomic_store(&m->est_free_bytes, 200);
	struct row r = { .b = b };
	profile_kinds[KIND_HEAP].fill_row(b, &r);
	ck_assert_int_eq(r.values[0], 6);
	ck_assert_int_eq(r.values[1], 650);
	ck_assert_int_eq(r.values[2], 4);
	ck_assert_int_eq(r.values[3], 450);
	ck_assert_int_eq(r.bytes_label, 100);
	/* frees seen ahead of their allocations never make in-use negative */
	atomic_store(&m->est_frees, 7 * EST_ONE);
	atomic_store(&m->est_free_bytes, 700);
	profile_kinds[KIND_HEAP].fill_row(b, &r);
	ck_assert_int_eq(r.values[2], 0);
	ck_assert_int_eq(r.values[3], 0);
}
END_TEST

START_TEST(contention_row_never_counts_below_one)
{
	struct bucket *b = bucket(BUCKET_BLOCK, 0x20);
	struct row r = { .b = b };
	profile_kinds[KIND_BLOCK].fill_row(b, &r);
	ck_assert_int_eq(r.values[0], 0);   /* nothing recorded: a row of zeros */
	ck_assert_int_eq(r.values[1], 0);
	atomic_store(&b->rec.block.count, EST_ONE / 3);
	atomic_store(&b->rec.block.cycles, 12345);
	profile_kinds[KIND_BLOCK].fill_row(b, &r);
	ck_assert_int_eq(r.values[0], 1);
	ck_assert_int_eq(r.values[1], 12345);
	atomic_store(&b->rec.block.count, 7 * EST_ONE + 1);
	profile_kinds[KIND_MUTEX].fill_row(b, &r);
	ck_assert_int_eq(r.values[0], 7);
}
END_TEST

START_TEST(threadcreate_row_is_the_count)
{
	struct bucket *b = bucket(BUCKET_THREADCREATE, 0x30);
	atomic_store(&b->rec.count, 4);
	struct row r = { .b = b };
	profile_kinds[KIND_THREADCREATE].fill_row(b, &r);
	ck_assert_int_eq(r.values[0], 4);
}
END_TEST

START_TEST(mutex_profile_says_when_waits_went_untracked)
{
	char note[256];
	ck_assert_ptr_nonnull(profile_kinds[KIND_MUTEX].note);
	ck_assert_int_eq(profile_kinds[KIND_MUTEX].note(note, sizeof note), 0);
	const void *locks[9];
	uintptr_t tokens[9];
	ck_assert_uint_eq(colliding_locks(locks, 9), 9);
	rates_set_mutex_fraction(1);
	for (int i = 0; i < 9; i++)
		tokens[i] = lock_wait_begin(locks[i], 1);
	ck_assert_int_eq(profile_kinds[KIND_MUTEX].note(note, sizeof note), 1);
	ck_assert_str_eq(note, "1 lock waits found the waiter table full and are not charged here");
	for (int i = 0; i < 9; i++)
		lock_wait_end(tokens[i], 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kinds");
	TCase *tc = tcase_create("kinds");
	tcase_add_test(tc, every_kind_is_complete_and_named_once);
	tcase_add_test(tc, types_are_gos);
	tcase_add_test(tc, written_kinds_follow_the_rates);
	tcase_add_test(tc, heap_row_shows_estimates_and_mean_size);
	tcase_add_test(tc, contention_row_never_counts_below_one);
	tcase_add_test(tc, threadcreate_row_is_the_count);
	tcase_add_test(tc, mutex_profile_says_when_waits_went_untracked);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
