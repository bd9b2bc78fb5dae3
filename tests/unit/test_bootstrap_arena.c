/*
 * test_bootstrap_arena.c — unit tests of src/hooks/bootstrap_arena.c, the
 * static memory that serves allocations made while the next malloc is being
 * found: alignment as asked, the size remembered for realloc and
 * malloc_usable_size, ownership by address, every block pinned in the
 * sampled filter (so free's fast path never hands one to the next
 * allocator), zeroed memory for calloc,
 * NULL once full, and no two threads ever given the same bytes.
 */
#include <check.h>
#include <pthread.h>
#include <string.h>

#include "bootstrap_arena.h"
#include "run_suite.h"
#include "sampled_addrs.h"

START_TEST(blocks_are_aligned_sized_and_owned)
{
	size_t aligns[] = { 1, 16, 64, 4096 };
	for (size_t i = 0; i < 4; i++) {
		unsigned char *p = bootstrap_alloc(100 + i, aligns[i]);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % (aligns[i] < 16 ? 16 : aligns[i]), 0);
		ck_assert_uint_eq(bootstrap_size(p), 100 + i);
		ck_assert(bootstrap_owns(p));
		ck_assert(bootstrap_owns(p + 99));
		ck_assert(sampled_addr_maybe(p));
		for (size_t k = 0; k < 100; k++)
			ck_assert_uint_eq(p[k], 0);
	}
	int on_stack;
	ck_assert(!bootstrap_owns(&on_stack));
	ck_assert(!bootstrap_owns(NULL));
}
END_TEST

START_TEST(full_arena_gives_null)
{
	size_t got = 0;
	while (bootstrap_alloc(1000, 16) != NULL)
		got++;
	/* each block takes its size rounded up plus the size header */
	ck_assert_uint_ge(got, BOOTSTRAP_SIZE / 1024 - 1);
	ck_assert_uint_le(got, BOOTSTRAP_SIZE / 1000);
	ck_assert_ptr_null(bootstrap_alloc(1, 16));
	ck_assert_ptr_null(bootstrap_alloc(SIZE_MAX - 8, 16));
}
END_TEST

enum { THREADS = 4, BLOCKS = 100 };
static unsigned char *blocks[THREADS][BLOCKS];

static void *grab(void *arg)
{
	int t = (int)(intptr_t)arg;
	for (int i = 0; i < BLOCKS; i++) {
		blocks[t][i] = bootstrap_alloc(32, 16);
		if (blocks[t][i])
			memset(blocks[t][i], t + 1, 32);
	}
	return NULL;
}

START_TEST(threads_never_share_bytes)
{
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, grab, (void *)(intptr_t)i), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < THREADS; i++)
		for (int b = 0; b < BLOCKS; b++) {
			ck_assert_ptr_nonnull(blocks[i][b]);
			for (int k = 0; k < 32; k++)
				ck_assert_uint_eq(blocks[i][b][k], i + 1);
			ck_assert_uint_eq(bootstrap_size(blocks[i][b]), 32);
		}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bootstrap_arena");
	TCase *tc = tcase_create("bootstrap_arena");
	tcase_add_test(tc, blocks_are_aligned_sized_and_owned);
	tcase_add_test(tc, full_arena_gives_null);
	tcase_add_test(tc, threads_never_share_bytes);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
