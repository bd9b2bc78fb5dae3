/*
 * test_mem_tally.c — unit tests of src/core/mem_tally.c: threads the agent
 * saw start add to tallies of their own, and the record's sum is exact
 * however many threads added at once; a slot given back at a thread's end
 * is reused, with its tallies; threads beyond the slots, and threads the
 * agent did not see start, add to the record's shared counters; taking an
 * event back (a failed realloc's restore) cancels it exactly.
 */
#include <check.h>
#include <pthread.h>

#include "buckets.h"
#include "lifecycle.h"
#include "mem_tally.h"
#include "run_suite.h"

#define ADDS 100000

static struct mem_record record;
static const struct mem_change one = { 1, 10, 4096, 40960 };
static pthread_barrier_t all_recorded;

static void setup(void)
{
	static const struct lifecycle_handlers none;
	ck_assert_int_eq(lifecycle_install(&none), 0);
}

static size_t tally_count(const struct mem_record *r)
{
	size_t n = 0;
	/* A tally's first member is a mem_record whose tallies field links on. */
	for (const struct mem_record *t = (const void *)atomic_load(&r->tallies); t;
	     t = (const void *)atomic_load(&t->tallies))
		n++;
	return n;
}

static void *followed_thread_adds(void *arg)
{
	long n = (long)arg;
	lifecycle_thread_begins();
	for (long i = 0; i < n; i++)
		mem_tally_add(&record, i % 2 ? MEM_FREE : MEM_ALLOC, &one);
	return NULL;
}

static void run_threads(int threads, void *(*fn)(void *), long arg)
{
	pthread_t t[threads];
	for (int i = 0; i < threads; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, fn, (void *)arg), 0);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
}

START_TEST(sum_of_concurrent_threads_is_exact)
{
	run_threads(4, followed_thread_adds, 2 * ADDS);
	struct mem_sum s;
	mem_record_sum(&record, &s);
	ck_assert_uint_eq(s.allocs, 4 * ADDS);
	ck_assert_uint_eq(s.frees, 4 * ADDS);
	ck_assert_uint_eq(s.alloc_bytes, 40ULL * ADDS);
	ck_assert_uint_eq(s.est_free_bytes, 4ULL * 40960 * ADDS);
	/* all of it in tallies, none in the shared counters */
	ck_assert_uint_eq(atomic_load(&record.allocs), 0);
	ck_assert_uint_ge(tally_count(&record), 1);
	ck_assert_uint_le(tally_count(&record), 4);
}
END_TEST

START_TEST(slot_of_an_ended_thread_is_reused)
{
	for (int i = 0; i < 100; i++)
		run_threads(1, followed_thread_adds, 1);
	struct mem_sum s;
	mem_record_sum(&record, &s);
	ck_assert_uint_eq(s.allocs, 100);
	ck_assert_uint_eq(tally_count(&record), 1);
}
END_TEST

static void *followed_thread_adds_and_stays(void *arg)
{
	(void)arg;
	lifecycle_thread_begins();
	mem_tally_add(&record, MEM_ALLOC, &one);
	pthread_barrier_wait(&all_recorded);
	return NULL;
}

START_TEST(threads_beyond_the_slots_use_the_shared_counters)
{
	int threads = TALLY_SLOTS + 6;
	pthread_barrier_init(&all_recorded, NULL, (unsigned)threads);
	run_threads(threads, followed_thread_adds_and_stays, 0);
	struct mem_sum s;
	mem_record_sum(&record, &s);
	ck_assert_uint_eq(s.allocs, (uint64_t)threads);
	ck_assert_uint_eq(atomic_load(&record.allocs), 6);
	ck_assert_uint_eq(tally_count(&record), TALLY_SLOTS);
}
END_TEST

static void *unseen_thread_adds(void *arg)
{
	(void)arg;
	mem_tally_add(&record, MEM_ALLOC, &one);
	return NULL;
}

START_TEST(thread_not_seen_starting_uses_the_shared_counters)
{
	run_threads(1, unseen_thread_adds, 0);
	ck_assert_uint_eq(atomic_load(&record.allocs), 1);
	ck_assert_uint_eq(tally_count(&record), 0);
}
END_TEST

START_TEST(taking_an_event_back_cancels_it)
{
	/* The test's own thread is the process's first: it gets a tally. */
	const struct mem_change back = { -1ULL, -10ULL, -4096ULL, -40960ULL };
	mem_tally_add(&record, MEM_FREE, &one);
	mem_tally_add(&record, MEM_FREE, &back);
	struct mem_sum s;
	mem_record_sum(&record, &s);
	ck_assert_uint_eq(s.frees, 0);
	ck_assert_uint_eq(s.est_free_bytes, 0);
	ck_assert_uint_eq(tally_count(&record), 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mem_tally");
	TCase *tc = tcase_create("mem_tally");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sum_of_concurrent_threads_is_exact);
	tcase_add_test(tc, slot_of_an_ended_thread_is_reused);
	tcase_add_test(tc, threads_beyond_the_slots_use_the_shared_counters);
	tcase_add_test(tc, thread_not_seen_starting_uses_the_shared_counters);
	tcase_add_test(tc, taking_an_event_back_cancels_it);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
