/*
 * test_records.c — unit tests of the C API's record copies
 * (src/report/records.c) and Go's `n, ok` contract: *n always says how many
 * records there are; they are copied, and 1 returned, only when the
 * caller's array holds them all; nothing is written past it. Also which
 * heap records MemProfile returns (in use, or all with inuse_zero), the
 * block count's floor of one, and stacks copied with zero padding.
 */
#include <check.h>
#include <string.h>

#include <pprof_agent.h>

#include "kinds.h"
#include "records.h"
#include "run_suite.h"

static struct bucket *heap_bucket(uintptr_t pc, uint64_t allocs, uint64_t bytes,
                                  uint64_t frees, uint64_t freed_bytes)
{
	uintptr_t stk[3] = { pc, pc + 1, pc + 2 };
	struct bucket *b = bucket_for_stack(BUCKET_HEAP, stk, 3);
	atomic_store(&b->rec.mem.allocs, allocs);
	atomic_store(&b->rec.mem.alloc_bytes, bytes);
	atomic_store(&b->rec.mem.frees, frees);
	atomic_store(&b->rec.mem.free_bytes, freed_bytes);
	return b;
}

START_TEST(no_records_is_ok_with_no_room)
{
	size_t n = 99;
	ck_assert_int_eq(kind_records(KIND_HEAP, 1, NULL, 0, &n), 1);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(records_are_copied_only_when_they_all_fit)
{
	struct pprof_mem_record r[5];
	size_t n = 0;
	heap_bucket(0x100, 2, 200, 0, 0);
	heap_bucket(0x200, 1, 50, 0, 0);
	heap_bucket(0x300, 4, 400, 1, 100);
	memset(r, 0xab, sizeof r);
	ck_assert_int_eq(kind_records(KIND_HEAP, 0, r, 2, &n), 0);
	ck_assert_uint_eq(n, 3);
	for (size_t i = 0; i < sizeof r; i++)
		ck_assert_uint_eq(((unsigned char *)r)[i], 0xab);   /* nothing copied */
	ck_assert_int_eq(kind_records(KIND_HEAP, 0, r, 5, &n), 1);
	ck_assert_uint_eq(n, 3);
	/* newest first */
	ck_assert_int_eq(r[0].alloc_objects, 4);
	ck_assert_int_eq(r[0].free_bytes, 100);
	ck_assert_uint_eq(r[0].stack.stack[0], 0x300);
	ck_assert_uint_eq(r[0].stack.stack[2], 0x302);
	ck_assert_uint_eq(r[0].stack.stack[3], 0);
	ck_assert_uint_eq(r[0].stack.stack[PPROF_RECORD_STACK - 1], 0);
	ck_assert_int_eq(r[2].alloc_bytes, 200);
	ck_assert_uint_eq(((unsigned char *)&r[3])[0], 0xab);   /* past n: untouched */
}
END_TEST

START_TEST(mem_profile_keeps_sites_in_use_unless_inuse_zero)
{
	struct pprof_mem_record r[4];
	size_t n;
	heap_bucket(0x100, 2, 200, 2, 200);   /* all freed */
	heap_bucket(0x200, 1, 50, 0, 0);      /* in use */
	heap_bucket(0x300, 0, 0, 0, 0);       /* nothing yet */
	ck_assert_int_eq(kind_records(KIND_HEAP, 0, r, 4, &n), 1);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(r[0].stack.stack[0], 0x200);
	ck_assert_int_eq(kind_records(KIND_HEAP, 1, r, 4, &n), 1);
	ck_assert_uint_eq(n, 2);
}
END_TEST

START_TEST(block_records_count_at_least_one)
{
	uintptr_t pc = 0x400;
	struct bucket *b = bucket_for_stack(BUCKET_BLOCK, &pc, 1);
	atomic_store(&b->rec.block.count, EST_ONE / 2);
	atomic_store(&b->rec.block.cycles, 777);
	struct pprof_block_record r[1];
	size_t n;
	ck_assert_int_eq(kind_records(KIND_BLOCK, 0, r, 1, &n), 1);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(r[0].count, 1);
	ck_assert_int_eq(r[0].cycles, 777);
	ck_assert_int_eq(kind_records(KIND_MUTEX, 0, r, 1, &n), 1);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(thread_create_records_are_stacks)
{
	uintptr_t stk[2] = { 0x500, 0x501 };
	atomic_store(&bucket_for_stack(BUCKET_THREADCREATE, stk, 2)->rec.count, 3);
	struct pprof_stack_record r[2];
	size_t n;
	ck_assert_int_eq(kind_records(KIND_THREADCREATE, 0, r, 0, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(kind_records(KIND_THREADCREATE, 0, r, 2, &n), 1);
	ck_assert_uint_eq(r[0].stack[0], 0x500);
	ck_assert_uint_eq(r[0].stack[1], 0x501);
	ck_assert_uint_eq(r[0].stack[2], 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("records");
	TCase *tc = tcase_create("records");
	tcase_add_test(tc, no_records_is_ok_with_no_room);
	tcase_add_test(tc, records_are_copied_only_when_they_all_fit);
	tcase_add_test(tc, mem_profile_keeps_sites_in_use_unless_inuse_zero);
	tcase_add_test(tc, block_records_count_at_least_one);
	tcase_add_test(tc, thread_create_records_are_stacks);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
