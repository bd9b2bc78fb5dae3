/*
 * test_heap_record.c — unit tests of src/core/heap_record.c, Go's
 * mProf_Malloc and mProf_Free: a sampled allocation adds its object, bytes
 * and weights to the bucket of its stack and is remembered; its free charges
 * exactly what the allocation added; the free of a pointer that was never
 * sampled changes nothing; a failed realloc puts a freed entry back exactly
 * as it was; and an allocation the table cannot remember counts as freed at
 * once, so in-use never drifts; a free that must not wait for the table
 * (under the guard, as in a signal handler, or during a fork) is charged at
 * the next sampled allocation, before that can reuse the address.
 */
#include <check.h>
#include <pthread.h>
#include <sched.h>

#include "buckets.h"
#include "fake_sys.h"
#include "heap_record.h"
#include "mem_tally.h"
#include "rates.h"
#include "run_suite.h"
#include "sampled_addrs.h"
#include "sampler.h"
#include "spinlock.h"

static const uintptr_t site[] = { 0xa000, 0xb000, 0xc000 };

static struct bucket *site_bucket(void)
{
	return bucket_for_stack(BUCKET_HEAP, site, 3);
}

static void setup(void)
{
	fake_sys_install();
	fake_stack_set(site, 3);
}

/* A mem_record's eight counters, its tallies included. */
static struct mem_sum counts_of(const struct bucket *b)
{
	struct mem_sum m;
	mem_record_sum(&b->rec.mem, &m);
	return m;
}

START_TEST(allocation_adds_weighted_sample)
{
	rates_set_heap(4096);
	heap_record_alloc((void *)0x1000, 1024, NULL);
	struct mem_sum c = counts_of(site_bucket());
	uint64_t est = (uint64_t)(sampler_weight(1024, 4096) * EST_ONE + 0.5);
	ck_assert_uint_eq(c.allocs, 1);
	ck_assert_uint_eq(c.alloc_bytes, 1024);
	ck_assert_uint_eq(c.est_allocs, est);
	ck_assert_uint_eq(c.est_alloc_bytes, heap_est_bytes(1024, est));
	ck_assert_uint_eq(c.frees, 0);
	ck_assert_uint_eq(sampled_addr_count(), 1);
}
END_TEST

START_TEST(free_charges_exactly_what_the_allocation_added)
{
	/* Every size at every rate: in-use must come back to exactly zero. */
	const size_t sizes[] = { 1, 24, 100, 4095, 65536, 1 << 20, 3 << 20 };
	const int64_t rates[] = { 1, 4096, 524288, 1 << 20 };
	uintptr_t addr = 0x100000;
	for (size_t r = 0; r < 4; r++) {
		rates_set_heap(rates[r]);
		for (size_t s = 0; s < 7; s++, addr += 64) {
			heap_record_alloc((void *)addr, sizes[s], NULL);
			struct sampled_alloc out;
			ck_assert_int_eq(heap_record_free((void *)addr, &out), 1);
			ck_assert_uint_eq(out.size, sizes[s]);
		}
	}
	struct mem_sum c = counts_of(site_bucket());
	ck_assert_uint_eq(c.allocs, 28);
	ck_assert_uint_eq(c.frees, 28);
	ck_assert_uint_eq(c.alloc_bytes, c.free_bytes);
	ck_assert_uint_eq(c.est_allocs, c.est_frees);
	ck_assert_uint_eq(c.est_alloc_bytes, c.est_free_bytes);
	ck_assert_uint_gt(c.est_alloc_bytes, c.alloc_bytes);   /* up-weighted */
	ck_assert_uint_eq(sampled_addr_count(), 0);
}
END_TEST

START_TEST(free_of_an_unsampled_pointer_changes_nothing)
{
	rates_set_heap(1);
	heap_record_alloc((void *)0x2000, 10, NULL);
	struct mem_sum before = counts_of(site_bucket());
	struct sampled_alloc out;
	ck_assert_int_eq(heap_record_free((void *)0x3000, &out), 0);
	struct mem_sum after = counts_of(site_bucket());
	ck_assert_mem_eq(&before, &after, sizeof before);
}
END_TEST

START_TEST(failed_realloc_restores_the_entry)
{
	rates_set_heap(4096);
	heap_record_alloc((void *)0x4000, 3000, NULL);
	struct mem_sum before = counts_of(site_bucket());
	struct sampled_alloc out;
	ck_assert_int_eq(heap_record_free((void *)0x4000, &out), 1);
	ck_assert_uint_eq(sampled_addr_count(), 0);
	heap_restore(&out);
	struct mem_sum after = counts_of(site_bucket());
	ck_assert_mem_eq(&before, &after, sizeof before);
	ck_assert_uint_eq(sampled_addr_count(), 1);
	/* and the restored entry is freed as the original would be */
	ck_assert_int_eq(heap_record_free((void *)0x4000, &out), 1);
	ck_assert_uint_eq(out.size, 3000);
}
END_TEST

START_TEST(allocation_the_table_cannot_hold_counts_as_freed)
{
	rates_set_heap(1);
	site_bucket();           /* the bucket exists, so only the table maps */
	fake_map_fail_next(1);   /* the first shard table cannot be made */
	heap_record_alloc((void *)0x5000, 77, NULL);
	struct mem_sum c = counts_of(site_bucket());
	ck_assert_uint_eq(c.allocs, 1);
	ck_assert_uint_eq(c.frees, 1);
	ck_assert_uint_eq(c.alloc_bytes, 77);
	ck_assert_uint_eq(c.free_bytes, 77);
	ck_assert_uint_eq(c.est_allocs, c.est_frees);
	ck_assert_uint_eq(sampled_addr_count(), 0);
}
END_TEST

START_TEST(free_under_the_guard_is_charged_at_the_next_sample)
{
	rates_set_heap(1);
	heap_record_alloc((void *)0x6000, 50, NULL);
	struct sampled_alloc out;
	agent_enter();   /* as a signal handler that interrupted the agent */
	ck_assert_int_eq(heap_record_free((void *)0x6000, &out), 0);
	agent_leave();
	struct mem_sum c = counts_of(site_bucket());
	ck_assert_uint_eq(c.frees, 0);
	ck_assert_uint_eq(sampled_addr_count(), 1);
	/* the same address comes back from the allocator, and is sampled */
	heap_record_alloc((void *)0x6000, 70, NULL);
	c = counts_of(site_bucket());
	ck_assert_uint_eq(c.allocs, 2);
	ck_assert_uint_eq(c.frees, 1);
	ck_assert_uint_eq(c.free_bytes, 50);
	ck_assert_uint_eq(sampled_addr_count(), 1);
	ck_assert_int_eq(heap_record_free((void *)0x6000, &out), 1);
	ck_assert_uint_eq(out.size, 70);
}
END_TEST

/* The forking thread: holds every shard with the flag raised until told. */
static atomic_int forking_phase;

static void *forking_thread(void *arg)
{
	(void)arg;
	atomic_store(&fork_in_progress, 1);
	sampled_addrs_lock_all();
	atomic_store(&forking_phase, 1);
	while (atomic_load(&forking_phase) != 2)
		sched_yield();
	sampled_addrs_unlock_all();
	atomic_store(&fork_in_progress, 0);
	return NULL;
}

START_TEST(free_during_a_fork_is_charged_later)
{
	pthread_t t;
	rates_set_heap(1);
	heap_record_alloc((void *)0x7000, 30, NULL);
	ck_assert_int_eq(pthread_create(&t, NULL, forking_thread, NULL), 0);
	while (atomic_load(&forking_phase) != 1)
		sched_yield();
	struct sampled_alloc out;
	ck_assert_int_eq(heap_record_free((void *)0x7000, &out), 0);
	atomic_store(&forking_phase, 2);
	pthread_join(t, NULL);
	ck_assert_uint_eq(counts_of(site_bucket()).frees, 0);
	heap_record_alloc((void *)0x8000, 10, NULL);
	ck_assert_uint_eq(counts_of(site_bucket()).frees, 1);
	ck_assert_uint_eq(counts_of(site_bucket()).free_bytes, 30);
}
END_TEST

START_TEST(estimated_bytes_round_to_nearest)
{
	ck_assert_uint_eq(heap_est_bytes(1000, EST_ONE), 1000);
	ck_assert_uint_eq(heap_est_bytes(1000, 2 * EST_ONE), 2000);
	ck_assert_uint_eq(heap_est_bytes(3, EST_ONE / 2), 2);    /* 1.5 rounds up */
	ck_assert_uint_eq(heap_est_bytes(1, EST_ONE / 4), 0);    /* 0.25 rounds down */
	ck_assert_uint_eq(heap_est_bytes(UINT64_C(1) << 40, 3 * EST_ONE), UINT64_C(3) << 40);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("heap_record");
	TCase *tc = tcase_create("heap_record");
	tcase_add_checked_fixture(tc, setup, fake_sys_restore);
	tcase_add_test(tc, allocation_adds_weighted_sample);
	tcase_add_test(tc, free_charges_exactly_what_the_allocation_added);
	tcase_add_test(tc, free_of_an_unsampled_pointer_changes_nothing);
	tcase_add_test(tc, failed_realloc_restores_the_entry);
	tcase_add_test(tc, allocation_the_table_cannot_hold_counts_as_freed);
	tcase_add_test(tc, free_under_the_guard_is_charged_at_the_next_sample);
	tcase_add_test(tc, free_during_a_fork_is_charged_later);
	tcase_add_test(tc, estimated_bytes_round_to_nearest);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
