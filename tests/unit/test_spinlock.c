/*
 * test_spinlock.c — unit tests of src/core/spinlock.c: the lock-order
 * check (built here with PPROF_AGENT_DEBUG_CHECKS): locks taken in rank
 * order pass, the lock-all pattern may hold many locks of one rank, and
 * taking a lock while holding one of an equal or higher rank aborts the
 * process at once; and the lock that gives way to a fork in progress.
 */
#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>

#include "run_suite.h"
#include "spinlock.h"

static spinlock buckets = SPINLOCK_INIT(RANK_BUCKETS);
static spinlock arena = SPINLOCK_INIT(RANK_ARENA);
static spinlock shard[3] = {
	SPINLOCK_INIT(RANK_SAMPLED_ADDRS), SPINLOCK_INIT(RANK_SAMPLED_ADDRS),
	SPINLOCK_INIT(RANK_SAMPLED_ADDRS),
};

START_TEST(rank_order_passes)
{
	spin_lock(&buckets);
	spin_lock(&arena);
	spin_lock(&shard[0]);
	spin_unlock(&shard[0]);
	spin_unlock(&arena);
	spin_unlock(&buckets);
	/* released: the lower rank may be taken again */
	spin_lock(&arena);
	spin_unlock(&arena);
	spin_lock(&buckets);
	spin_unlock(&buckets);
}
END_TEST

START_TEST(lock_all_may_hold_one_rank_many_times)
{
	for (int i = 0; i < 3; i++)
		spin_lock_next_of_rank(&shard[i]);
	for (int i = 3; i-- > 0;)
		spin_unlock(&shard[i]);
	spin_lock(&shard[1]);
	spin_unlock(&shard[1]);
}
END_TEST

START_TEST(lower_rank_under_higher_aborts)
{
	spin_lock(&arena);
	spin_lock(&buckets);
}
END_TEST

START_TEST(same_rank_twice_aborts)
{
	spin_lock(&shard[0]);
	spin_lock(&shard[1]);
}
END_TEST

START_TEST(pthread_lock_rank_is_checked_too)
{
	spin_lock(&buckets);
	lock_rank_acquire(RANK_SNAPSHOT, 0);
}
END_TEST

/* The forking thread: takes the lock, raises the flag, and holds both
 * until told to let go. */
static atomic_int forking_phase;

static void *forking_thread(void *arg)
{
	(void)arg;
	spin_lock(&buckets);
	atomic_store(&fork_in_progress, 1);
	atomic_store(&forking_phase, 1);
	while (atomic_load(&forking_phase) != 2)
		sched_yield();
	atomic_store(&fork_in_progress, 0);
	spin_unlock(&buckets);
	return NULL;
}

START_TEST(a_taken_lock_gives_way_to_a_fork)
{
	pthread_t t;
	ck_assert_int_eq(spin_lock_unless_forking(&buckets), 1);
	spin_unlock(&buckets);
	ck_assert_int_eq(pthread_create(&t, NULL, forking_thread, NULL), 0);
	while (atomic_load(&forking_phase) != 1)
		sched_yield();
	ck_assert_int_eq(spin_lock_unless_forking(&buckets), 0);
	ck_assert_int_eq(spin_lock_unless_forking(&arena), 1);   /* a free one is taken */
	spin_unlock(&arena);
	atomic_store(&forking_phase, 2);
	pthread_join(t, NULL);
	ck_assert_int_eq(spin_lock_unless_forking(&buckets), 1);
	spin_unlock(&buckets);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("spinlock");
	TCase *tc = tcase_create("spinlock");
	tcase_add_test(tc, rank_order_passes);
	tcase_add_test(tc, lock_all_may_hold_one_rank_many_times);
	tcase_add_test_raise_signal(tc, lower_rank_under_higher_aborts, SIGABRT);
	tcase_add_test_raise_signal(tc, same_rank_twice_aborts, SIGABRT);
	tcase_add_test_raise_signal(tc, pthread_lock_rank_is_checked_too, SIGABRT);
	tcase_add_test(tc, a_taken_lock_gives_way_to_a_fork);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
