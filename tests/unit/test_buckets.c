/*
 * test_buckets.c — unit tests of src/core/buckets.c and arena.c: a bucket
 * per (kind, stack), found again by lookup; an empty stack recorded as the
 * unknown frame; the memory cap sending new stacks to a visible overflow
 * bucket; views that do not see buckets added after them; the calling
 * thread's stack captured up to the depth; and the arena's alignment, cap
 * and failure.
 */
#include <check.h>

#include "arena.h"
#include "buckets.h"
#include "fake_sys.h"
#include "rates.h"
#include "run_suite.h"

START_TEST(lookup_dedups_by_kind_and_stack)
{
	uintptr_t a[3] = { 0x1000, 0x2000, 0x3000 }, b[3] = { 0x1000, 0x2000, 0x3001 };
	size_t heap_before = buckets_count(BUCKET_HEAP), block_before = buckets_count(BUCKET_BLOCK);
	struct bucket *x = bucket_for_stack(BUCKET_HEAP, a, 3);
	ck_assert_ptr_eq(bucket_for_stack(BUCKET_HEAP, a, 3), x);
	ck_assert_ptr_ne(bucket_for_stack(BUCKET_HEAP, b, 3), x);
	ck_assert_ptr_ne(bucket_for_stack(BUCKET_BLOCK, a, 3), x);
	ck_assert_ptr_ne(bucket_for_stack(BUCKET_HEAP, a, 2), x);
	/* three heap stacks and one block stack made; the repeat made none */
	ck_assert_uint_eq(buckets_count(BUCKET_HEAP), heap_before + 3);
	ck_assert_uint_eq(buckets_count(BUCKET_BLOCK), block_before + 1);
	ck_assert_uint_eq(x->nstk, 3);
	ck_assert_uint_eq(x->stk[2], 0x3000);
	ck_assert_uint_eq(x->kind, BUCKET_HEAP);
}
END_TEST

START_TEST(empty_stack_is_the_unknown_frame)
{
	struct bucket *empty = bucket_for_stack(BUCKET_HEAP, NULL, 0);
	ck_assert_uint_eq(empty->nstk, 1);
	ck_assert_uint_eq(empty->stk[0], BUCKET_UNKNOWN_PC);
	ck_assert_ptr_eq(bucket_for_stack(BUCKET_HEAP, NULL, 0), empty);
}
END_TEST

static void count_bucket(struct bucket *b, void *arg)
{
	(void)b;
	(*(size_t *)arg)++;
}

START_TEST(cap_sends_new_stacks_to_overflow_bucket)
{
	uintptr_t stk[2] = { 0x5000, 0 };
	arena_set_limit(arena_used() + 64 * 1024);
	struct bucket *last = NULL;
	size_t i;
	for (i = 0; i < 100000; i++) {
		stk[1] = 0x10000 + i;
		last = bucket_for_stack(BUCKET_MUTEX, stk, 2);
		if (last->stk[0] == BUCKET_OVERFLOW_PC)
			break;
	}
	ck_assert_msg(i < 100000, "the cap never sent a stack to the overflow bucket");
	ck_assert_uint_eq(last->nstk, 1);
	ck_assert_uint_eq(last->kind, BUCKET_MUTEX);
	size_t n = 0;
	buckets_visit(BUCKET_MUTEX, count_bucket, &n);
	ck_assert_uint_eq(n, i + 1);   /* i real buckets + the overflow bucket */
	/* A stack that already has a bucket still finds it. */
	stk[1] = 0x10000;
	ck_assert_uint_ne(bucket_for_stack(BUCKET_MUTEX, stk, 2)->stk[0], BUCKET_OVERFLOW_PC);
}
END_TEST

START_TEST(view_sees_only_buckets_older_than_itself)
{
	uintptr_t stk[1] = { 0x9000 };
	for (int i = 0; i < 10; i++) {
		stk[0] = 0x9000 + (uintptr_t)i;
		bucket_for_stack(BUCKET_THREADCREATE, stk, 1);
	}
	struct bucket_view view = buckets_view(BUCKET_THREADCREATE);
	stk[0] = 0x9999;
	bucket_for_stack(BUCKET_THREADCREATE, stk, 1);
	size_t in_view = 0, now = 0;
	buckets_view_visit(&view, count_bucket, &in_view);
	buckets_visit(BUCKET_THREADCREATE, count_bucket, &now);
	ck_assert_uint_eq(in_view, 10);
	ck_assert_uint_eq(now, 11);
	ck_assert_ptr_null(view.overflow);
}
END_TEST

START_TEST(caller_stack_is_cut_at_the_depth)
{
	uintptr_t pcs[6] = { 0x100, 0x200, 0x300, 0x400, 0x500, 0x600 };
	fake_sys_install();
	fake_stack_set(pcs, 6);
	rates_set_depth(4);
	struct bucket *b = bucket_for_caller(BUCKET_BLOCK, NULL);
	ck_assert_uint_eq(b->nstk, 4);
	ck_assert_uint_eq(b->stk[0], 0x100);
	ck_assert_uint_eq(b->stk[3], 0x400);
	rates_set_depth(64);
	struct bucket *whole = bucket_for_caller(BUCKET_BLOCK, NULL);
	ck_assert_uint_eq(whole->nstk, 6);
	fake_sys_restore();
}
END_TEST

START_TEST(arena_memory_is_aligned_zeroed_and_capped)
{
	size_t base = arena_used();
	arena_set_limit(base + 4096);
	unsigned char *a = arena_alloc(1), *b = arena_alloc(100);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq((uintptr_t)a % 16, 0);
	ck_assert_uint_eq((uintptr_t)b % 16, 0);
	ck_assert_uint_eq((uintptr_t)(b - a), 16);
	for (int i = 0; i < 100; i++)
		ck_assert_uint_eq(b[i], 0);
	ck_assert_uint_eq(arena_used(), base + 16 + 112);
	ck_assert_ptr_null(arena_alloc(4096));
	ck_assert_uint_eq(arena_used(), base + 128);
}
END_TEST

START_TEST(arena_reports_a_failed_map)
{
	fake_sys_install();
	arena_set_limit(256u << 20);
	/* More than a chunk, so the arena must map again, and that fails. */
	fake_map_fail_next(1);
	ck_assert_ptr_null(arena_alloc(2u << 20));
	ck_assert_ptr_nonnull(arena_alloc(2u << 20));
	fake_sys_restore();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("buckets");
	TCase *tc = tcase_create("buckets");
	tcase_add_test(tc, lookup_dedups_by_kind_and_stack);
	tcase_add_test(tc, empty_stack_is_the_unknown_frame);
	tcase_add_test(tc, cap_sends_new_stacks_to_overflow_bucket);
	tcase_add_test(tc, view_sees_only_buckets_older_than_itself);
	tcase_add_test(tc, caller_stack_is_cut_at_the_depth);
	tcase_add_test(tc, arena_memory_is_aligned_zeroed_and_capped);
	tcase_add_test(tc, arena_reports_a_failed_map);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
