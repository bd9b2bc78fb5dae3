/*
 * test_rates.c — unit tests of src/core/rates.c: the setters clamp as Go's
 * do, SetMutexProfileFraction returns the previous value and only reads
 * when given a negative one, and a kind counts as written once its rate
 * has been positive, even after it is turned off again.
 */
#include <check.h>

#include "rates.h"
#include "run_suite.h"
#include "stack.h"

START_TEST(negative_rates_are_off)
{
	rates_set_heap(-5);
	ck_assert_int_eq(atomic_load(&heap_rate), 0);
	rates_set_block(-1);
	ck_assert_int_eq(atomic_load(&block_rate_ns), 0);
	ck_assert(!contention_profiling());
	rates_set_block(1);
	ck_assert(block_profiling());
	ck_assert(contention_profiling());
}
END_TEST

START_TEST(mutex_fraction_returns_the_previous_value)
{
	ck_assert_int_eq(rates_set_mutex_fraction(5), 0);
	ck_assert_int_eq(rates_set_mutex_fraction(-1), 5);
	ck_assert_int_eq(rates_set_mutex_fraction(0), 5);
	ck_assert_int_eq(rates_set_mutex_fraction(-1), 0);
}
END_TEST

START_TEST(ever_on_stays_on)
{
	ck_assert(!rates_ever_on(EVER_HEAP));
	rates_set_heap(0);
	ck_assert(!rates_ever_on(EVER_HEAP));
	rates_set_heap(4096);
	rates_set_heap(0);
	ck_assert(rates_ever_on(EVER_HEAP));
	ck_assert(!rates_ever_on(EVER_BLOCK));
	ck_assert(!rates_ever_on(EVER_MUTEX));
	rates_set_mutex_fraction(3);
	ck_assert(rates_ever_on(EVER_MUTEX));
}
END_TEST

START_TEST(depth_is_kept_within_the_stack_limit)
{
	rates_set_depth(0);
	ck_assert_int_eq(atomic_load(&stack_depth), 1);
	rates_set_depth(STACK_MAX + 10);
	ck_assert_int_eq(atomic_load(&stack_depth), STACK_MAX);
	rates_set_depth(7);
	ck_assert_int_eq(atomic_load(&stack_depth), 7);
}
END_TEST

START_TEST(profiling_starts_once_told)
{
	ck_assert(!profiling_started());
	rates_start_profiling();
	ck_assert(profiling_started());
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rates");
	TCase *tc = tcase_create("rates");
	tcase_add_test(tc, negative_rates_are_off);
	tcase_add_test(tc, mutex_fraction_returns_the_previous_value);
	tcase_add_test(tc, ever_on_stays_on);
	tcase_add_test(tc, depth_is_kept_within_the_stack_limit);
	tcase_add_test(tc, profiling_starts_once_told);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
