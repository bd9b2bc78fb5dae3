/*
 * test_sampled_addrs.c — unit tests of src/core/sampled_addrs.c: the table
 * of live sampled allocations is exact (no entry lost or confused under many
 * inserts and removes, in any order), the filter never says "not sampled"
 * of a live entry, and a table that cannot grow says so; under random
 * churn in one shard (full buckets, entries placed past their home bucket
 * and removed in any order) every answer matches a plain reference set.
 */
#include <check.h>
#include <stdlib.h>

#include "buckets.h"
#include "fake_sys.h"
#include "run_suite.h"
#include "sampled_addrs.h"

START_TEST(table_is_exact)
{
	enum { N = 200000 };
	uintptr_t *addrs = malloc(N * sizeof(*addrs));
	struct bucket *b = bucket_for_stack(BUCKET_HEAP, (uintptr_t[]){ 0x7777 }, 1);
	for (size_t i = 0; i < N; i++) {
		/* clustered, 16-byte aligned addresses like an allocator's */
		addrs[i] = 0x7f0000000000ULL + i * 48;
		struct sampled_alloc a = { .addr = addrs[i], .bucket = b, .size = i, .est_count = 1 };
		ck_assert_int_eq(sampled_addr_insert(&a), 0);
	}
	ck_assert_uint_eq(sampled_addr_count(), N);
	for (size_t i = 0; i < N; i++)
		ck_assert(sampled_addr_maybe((void *)addrs[i]));
	/* remove every other one, then the rest, checking each entry's size */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = (size_t)pass; i < N; i += 2) {
			struct sampled_alloc out;
			ck_assert_int_eq(sampled_addr_remove(addrs[i], &out), 1);
			ck_assert_uint_eq(out.size, i);
			ck_assert_ptr_eq(out.bucket, b);
			ck_assert_int_eq(sampled_addr_remove(addrs[i], &out), 0);
		}
	}
	ck_assert_uint_eq(sampled_addr_count(), 0);
	struct sampled_alloc out;
	ck_assert_int_eq(sampled_addr_remove(0x1234560, &out), 0);
	free(addrs);
}
END_TEST

/* xorshift64: a fixed sequence, the same at every run. */
static uint64_t next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

START_TEST(table_matches_a_reference_under_churn)
{
	/* 4096 possible addresses in one MiB (one shard), up to 3000 live at a
	 * time: the shard's table grows through every size, many of its
	 * buckets fill, and entries land past their home bucket. */
	enum { SPAN = 4096, ROUNDS = 400000 };
	static uint64_t live_size[SPAN];   /* 0 = not in the table */
	const uintptr_t base = 0x7e1230000000ULL;
	uint64_t x = 0x2545f4914f6cdd1dULL;
	size_t nlive = 0;
	struct bucket *b = bucket_for_stack(BUCKET_HEAP, (uintptr_t[]){ 0x8888 }, 1);
	for (int round = 0; round < ROUNDS; round++) {
		size_t k = (size_t)(next_random(&x) % SPAN);
		uintptr_t addr = base + k * 16 * 3;
		struct sampled_alloc out;
		int want_insert = live_size[k] == 0 && nlive < 3000 && next_random(&x) % 3 != 0;
		if (want_insert) {
			uint64_t size = (uint64_t)round + 1;
			struct sampled_alloc a = { .addr = addr, .bucket = b, .size = size, .est_count = 1 };
			ck_assert_int_eq(sampled_addr_insert(&a), 0);
			live_size[k] = size;
			nlive++;
		} else if (live_size[k] != 0) {
			ck_assert_int_eq(sampled_addr_remove(addr, &out), 1);
			ck_assert_uint_eq(out.size, live_size[k]);
			ck_assert_uint_eq(out.addr, addr);
			live_size[k] = 0;
			nlive--;
		} else {
			ck_assert_int_eq(sampled_addr_remove(addr, &out), 0);
		}
	}
	ck_assert_uint_eq(sampled_addr_count(), nlive);
	for (size_t k = 0; k < SPAN; k++) {
		struct sampled_alloc out;
		int want = live_size[k] != 0;
		ck_assert_int_eq(sampled_addr_remove(base + k * 16 * 3, &out), want);
		if (want)
			ck_assert_uint_eq(out.size, live_size[k]);
	}
	ck_assert_uint_eq(sampled_addr_count(), 0);
}
END_TEST

START_TEST(filter_forgets_removed_addresses)
{
	struct sampled_alloc a = { .addr = 0x55550000, .size = 8, .est_count = 1 };
	ck_assert(!sampled_addr_maybe((void *)a.addr));
	ck_assert_int_eq(sampled_addr_insert(&a), 0);
	ck_assert(sampled_addr_maybe((void *)a.addr));
	struct sampled_alloc out;
	ck_assert_int_eq(sampled_addr_remove(a.addr, &out), 1);
	ck_assert(!sampled_addr_maybe((void *)a.addr));
}
END_TEST

START_TEST(table_that_cannot_grow_refuses_the_entry)
{
	fake_sys_install();
	fake_map_fail_next(1);
	struct sampled_alloc a = { .addr = 0x66660000, .size = 8, .est_count = 1 };
	ck_assert_int_eq(sampled_addr_insert(&a), -1);
	ck_assert_uint_eq(sampled_addr_count(), 0);
	ck_assert(!sampled_addr_maybe((void *)a.addr));
	ck_assert_int_eq(sampled_addr_insert(&a), 0);
	ck_assert_uint_eq(sampled_addr_count(), 1);
	fake_sys_restore();
}
END_TEST

/* A MiB's addresses share the top bits of their counters (and so one
 * shard), and different MiBs spread over every shard. */
START_TEST(counters_of_a_mib_belong_to_one_shard)
{
	const int within_bits = SAMPLED_FILTER_BITS - SAMPLED_SHARD_BITS;
	int used[1 << SAMPLED_SHARD_BITS] = { 0 };
	for (uintptr_t mib = 0x7f0000000ULL >> 20; mib < (0x7f0000000ULL >> 20) + 4096; mib++) {
		uintptr_t base = mib << 20;
		size_t top = sampled_filter_slot(base) >> within_bits;
		for (uintptr_t off = 16; off < (1u << 20); off += 4096 + 16)
			ck_assert_uint_eq(sampled_filter_slot(base + off) >> within_bits, top);
		used[top]++;
	}
	for (int i = 0; i < 1 << SAMPLED_SHARD_BITS; i++)
		ck_assert_int_gt(used[i], 0);
}
END_TEST

START_TEST(lock_all_takes_every_shard)
{
	sampled_addrs_lock_all();
	sampled_addrs_unlock_all();
	struct sampled_alloc a = { .addr = 0x77770000, .size = 8, .est_count = 1 };
	ck_assert_int_eq(sampled_addr_insert(&a), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sampled_addrs");
	TCase *tc = tcase_create("sampled_addrs");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, table_is_exact);
	tcase_add_test(tc, table_matches_a_reference_under_churn);
	tcase_add_test(tc, filter_forgets_removed_addresses);
	tcase_add_test(tc, table_that_cannot_grow_refuses_the_entry);
	tcase_add_test(tc, counters_of_a_mib_belong_to_one_shard);
	tcase_add_test(tc, lock_all_takes_every_shard);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
