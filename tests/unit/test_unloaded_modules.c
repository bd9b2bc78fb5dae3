/*
 * test_unloaded_modules.c — unit tests of src/core/unloaded_modules.c: the
 * list keeps every module once per path and load address, newest first,
 * and threads adding at the same time lose none.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "run_suite.h"
#include "unloaded_modules.h"

static size_t listed(const char *path, uint64_t bias)
{
	size_t n = 0;
	for (const struct unloaded_module *m = unloaded_modules_newest(); m; m = m->next)
		n += m->load_bias == bias && strcmp(m->path, path) == 0;
	return n;
}

START_TEST(each_module_is_listed_once_newest_first)
{
	ck_assert_ptr_null(unloaded_modules_newest());
	ck_assert_int_eq(unloaded_module_add("/lib/a.so", 0x1000), 0);
	ck_assert_int_eq(unloaded_module_add("/lib/b.so", 0x2000), 0);
	ck_assert_int_eq(unloaded_module_add("/lib/a.so", 0x1000), 0);
	ck_assert_int_eq(unloaded_module_add("/lib/a.so", 0x3000), 0);
	const struct unloaded_module *m = unloaded_modules_newest();
	ck_assert_str_eq(m->path, "/lib/a.so");
	ck_assert_uint_eq(m->load_bias, 0x3000);
	ck_assert_str_eq(m->next->path, "/lib/b.so");
	ck_assert_str_eq(m->next->next->path, "/lib/a.so");
	ck_assert_ptr_null(m->next->next->next);
	ck_assert_uint_eq(listed("/lib/a.so", 0x1000), 1);
}
END_TEST

enum { THREADS = 4, PER_THREAD = 500 };

static void *add_many(void *arg)
{
	int t = (int)(intptr_t)arg;
	for (int i = 0; i < PER_THREAD; i++) {
		char path[64];
		snprintf(path, sizeof path, "/lib/t%d/m%d.so", t, i);
		unloaded_module_add(path, (uint64_t)i << 12);
	}
	return NULL;
}

START_TEST(concurrent_adds_lose_nothing)
{
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, add_many, (void *)(intptr_t)i), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	size_t n = 0;
	for (const struct unloaded_module *m = unloaded_modules_newest(); m; m = m->next)
		n++;
	ck_assert_uint_eq(n, THREADS * PER_THREAD);
	ck_assert_uint_eq(listed("/lib/t3/m499.so", (uint64_t)499 << 12), 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("unloaded_modules");
	TCase *tc = tcase_create("unloaded_modules");
	tcase_add_test(tc, each_module_is_listed_once_newest_first);
	tcase_add_test(tc, concurrent_adds_lose_nothing);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
