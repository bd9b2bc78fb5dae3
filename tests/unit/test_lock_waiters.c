/*
 * test_lock_waiters.c — unit tests of the mutex profile's charging rule
 * (src/core/lock_waiters.c), driven by a scripted clock so every expected
 * delay is exact: which waiting time each unlock is charged, for one
 * waiter, several, waiters that come and go between unlocks, a condition
 * wait's release; and the bookkeeping around it: nothing charged with the
 * profile off or the guard raised, the "contended locks" count that keeps
 * unlock to one load, waits that find the table full being counted, and
 * the empty table a forked child starts with.
 */
#include <check.h>

#include "colliding_locks.h"
#include "core.h"
#include "fake_sys.h"
#include "lock_waiters.h"
#include "rates.h"
#include "run_suite.h"

static int lock_a, lock_b;

static void setup(void)
{
	fake_sys_install();
	rates_set_mutex_fraction(1);
}

/* Unlock of lock at time now: the delay charged. */
static int64_t unlock_at(const void *lock, int64_t now)
{
	fake_clock_set(now);
	return lock_unlock_delay(lock);
}

START_TEST(one_waiter_is_charged_its_whole_wait)
{
	uintptr_t w = lock_wait_begin(&lock_a, 100);
	ck_assert_uint_ne(w, 0);
	ck_assert_int_eq(atomic_load(&contended_locks), 1);
	ck_assert_int_eq(unlock_at(&lock_a, 300), 200);
	lock_wait_end(w, 100);   /* it gets the lock */
	ck_assert_int_eq(atomic_load(&contended_locks), 0);
	ck_assert_int_eq(unlock_at(&lock_a, 500), 0);
}
END_TEST

START_TEST(two_waiters_are_charged_each_their_own_wait)
{
	uintptr_t w1 = lock_wait_begin(&lock_a, 100);
	uintptr_t w2 = lock_wait_begin(&lock_a, 150);
	ck_assert_int_eq(unlock_at(&lock_a, 300), 200 + 150);
	lock_wait_end(w1, 100);  /* the first gets the lock; the second waits on */
	/* The next unlock charges the second only from the previous unlock. */
	ck_assert_int_eq(unlock_at(&lock_a, 400), 100);
	lock_wait_end(w2, 150);
	ck_assert_int_eq(unlock_at(&lock_a, 450), 0);
	ck_assert_int_eq(atomic_load(&contended_locks), 0);
}
END_TEST

START_TEST(a_waiter_arriving_after_an_unlock_is_charged_from_its_arrival)
{
	uintptr_t w1 = lock_wait_begin(&lock_a, 100);
	ck_assert_int_eq(unlock_at(&lock_a, 200), 100);
	uintptr_t w2 = lock_wait_begin(&lock_a, 250);
	/* w1 since the last unlock (200), w2 since it arrived (250) */
	ck_assert_int_eq(unlock_at(&lock_a, 400), 200 + 150);
	lock_wait_end(w1, 100);
	lock_wait_end(w2, 250);
	ck_assert_int_eq(atomic_load(&contended_locks), 0);
}
END_TEST

START_TEST(a_waiter_that_gives_up_stops_its_clock)
{
	uintptr_t w1 = lock_wait_begin(&lock_a, 100);
	uintptr_t w2 = lock_wait_begin(&lock_a, 100);
	lock_wait_end(w2, 100);   /* a timed lock that timed out, before any unlock */
	ck_assert_int_eq(unlock_at(&lock_a, 300), 200);
	lock_wait_end(w1, 100);
}
END_TEST

START_TEST(locks_are_charged_apart)
{
	uintptr_t wa = lock_wait_begin(&lock_a, 100);
	uintptr_t wb = lock_wait_begin(&lock_b, 120);
	ck_assert_int_eq(atomic_load(&contended_locks), 2);
	ck_assert_int_eq(unlock_at(&lock_b, 200), 80);
	ck_assert_int_eq(unlock_at(&lock_a, 200), 100);
	lock_wait_end(wa, 100);
	lock_wait_end(wb, 120);
	ck_assert_int_eq(atomic_load(&contended_locks), 0);
}
END_TEST

START_TEST(nothing_is_charged_with_the_profile_off)
{
	rates_set_mutex_fraction(0);
	ck_assert_uint_eq(lock_wait_begin(&lock_a, 100), 0);
	ck_assert_int_eq(atomic_load(&contended_locks), 0);
	lock_wait_end(0, 100);
	ck_assert_int_eq(unlock_at(&lock_a, 300), 0);
}
END_TEST

START_TEST(nothing_is_charged_with_the_guard_raised)
{
	agent_enter();
	ck_assert_uint_eq(lock_wait_begin(&lock_a, 100), 0);
	agent_leave();
	uintptr_t w = lock_wait_begin(&lock_a, 100);
	agent_enter();
	ck_assert_int_eq(unlock_at(&lock_a, 300), 0);
	agent_leave();
	/* The unlock under the guard charged nothing and restarted nothing. */
	ck_assert_int_eq(unlock_at(&lock_a, 400), 300);
	lock_wait_end(w, 100);
}
END_TEST

START_TEST(waits_that_find_the_table_full_are_counted)
{
	const void *locks[9];
	uintptr_t tokens[9];
	ck_assert_uint_eq(colliding_locks(locks, 9), 9);
	uint64_t before = lock_waiters_untracked();
	for (int i = 0; i < 9; i++)
		tokens[i] = lock_wait_begin(locks[i], 100);
	/* the probe is 8 long: the ninth finds no room */
	for (int i = 0; i < 8; i++)
		ck_assert_uint_ne(tokens[i], 0);
	ck_assert_uint_eq(tokens[8], 0);
	ck_assert_uint_eq(lock_waiters_untracked(), before + 1);
	ck_assert_int_eq(unlock_at(locks[8], 200), 0);
	ck_assert_int_eq(unlock_at(locks[7], 200), 100);
	for (int i = 0; i < 8; i++)
		lock_wait_end(tokens[i], 100);
	ck_assert_int_eq(atomic_load(&contended_locks), 0);
	/* room again */
	uintptr_t t = lock_wait_begin(locks[8], 300);
	ck_assert_uint_ne(t, 0);
	lock_wait_end(t, 300);
}
END_TEST

START_TEST(a_forked_child_starts_with_an_empty_table)
{
	uintptr_t w = lock_wait_begin(&lock_a, 100);
	ck_assert_uint_ne(w, 0);
	ck_assert_int_eq(atomic_load(&contended_locks), 1);
	lock_waiters_after_fork_child();
	ck_assert_int_eq(atomic_load(&contended_locks), 0);
	ck_assert_int_eq(unlock_at(&lock_a, 300), 0);
	/* the entries and their locks are usable again */
	w = lock_wait_begin(&lock_a, 400);
	ck_assert_int_eq(unlock_at(&lock_a, 500), 100);
	lock_wait_end(w, 400);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lock_waiters");
	TCase *tc = tcase_create("lock_waiters");
	tcase_add_checked_fixture(tc, setup, fake_sys_restore);
	tcase_add_test(tc, one_waiter_is_charged_its_whole_wait);
	tcase_add_test(tc, two_waiters_are_charged_each_their_own_wait);
	tcase_add_test(tc, a_waiter_arriving_after_an_unlock_is_charged_from_its_arrival);
	tcase_add_test(tc, a_waiter_that_gives_up_stops_its_clock);
	tcase_add_test(tc, locks_are_charged_apart);
	tcase_add_test(tc, nothing_is_charged_with_the_profile_off);
	tcase_add_test(tc, nothing_is_charged_with_the_guard_raised);
	tcase_add_test(tc, waits_that_find_the_table_full_are_counted);
	tcase_add_test(tc, a_forked_child_starts_with_an_empty_table);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
