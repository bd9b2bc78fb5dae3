/*
 * test_module_instances.c — unit tests of src/core/module_instances.c,
 * module_tags.c and the module identity of buckets.c: instances listed once
 * per name and bias (also by threads at the same time), the first instance
 * unloaded from an address, the era's arithmetic, frames tagged only where
 * another library runs in a reused range, the address each frame is
 * symbolized at, and buckets: two libraries at one address get a bucket
 * each, and loading them in turn a hundred times makes no more.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "buckets.h"
#include "fake_sys.h"
#include "module_tags.h"
#include "run_suite.h"

#define LIB_START 0x10000u
#define LIB_LIMIT 0x20000u

static size_t listed(const char *name, uint64_t bias)
{
	size_t n = 0;
	for (const struct module_instance *m = module_instances_newest(); m; m = m->next)
		n += m->load_bias == bias && strcmp(m->name, name) == 0;
	return n;
}

static const struct module_instance *lib(const char *name)
{
	return module_instance_get(name, name, 0x10000, LIB_START, LIB_LIMIT);
}

/* The instance m unloaded, as the dlclose hook brackets it. */
static void unload(const struct module_instance *m)
{
	module_unload_begin();
	module_instance_unloaded(m);
	module_unload_end(1);
}

START_TEST(each_instance_is_listed_once_with_its_own_index)
{
	ck_assert_ptr_null(module_instances_newest());
	const struct module_instance *a = module_instance_get("a.so", "/lib/a.so", 0x1000, 1, 2);
	const struct module_instance *b = module_instance_get("b.so", "/lib/b.so", 0x2000, 3, 4);
	ck_assert_ptr_eq(module_instance_get("a.so", "/lib/a.so", 0x1000, 1, 2), a);
	const struct module_instance *a2 = module_instance_get("a.so", "/lib/a.so", 0x3000, 5, 6);
	ck_assert_ptr_ne(a2, a);
	ck_assert_ptr_eq(module_instances_newest(), a2);
	ck_assert_str_eq(a->path, "/lib/a.so");
	ck_assert_uint_eq(a->index, 1);
	ck_assert_uint_eq(b->index, 2);
	ck_assert_uint_eq(a2->index, 3);
	ck_assert_ptr_eq(module_instance_by_index(2), b);
	ck_assert_ptr_null(module_instance_by_index(4));
	ck_assert_uint_eq(listed("a.so", 0x1000), 1);
}
END_TEST

enum { THREADS = 4, PER_THREAD = 500 };

static void *add_many(void *arg)
{
	(void)arg;
	for (int i = 0; i < PER_THREAD; i++) {
		char name[64];
		snprintf(name, sizeof name, "/lib/m%d.so", i);
		module_instance_get(name, name, (uint64_t)i << 12, 0, 1);
	}
	return NULL;
}

START_TEST(threads_listing_the_same_instances_list_each_once)
{
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, add_many, NULL), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	size_t n = 0;
	for (const struct module_instance *m = module_instances_newest(); m; m = m->next)
		n++;
	ck_assert_uint_eq(n, PER_THREAD);
	ck_assert_uint_eq(listed("/lib/m499.so", (uint64_t)499 << 12), 1);
}
END_TEST

START_TEST(the_original_instance_is_the_first_unloaded_there)
{
	const struct module_instance *a = lib("a.so"), *b = lib("b.so");
	uintptr_t lo, hi;
	module_reused_bounds(&lo, &hi);
	ck_assert_uint_ge(lo, hi);
	ck_assert_ptr_null(module_instance_original_at(LIB_START));
	unload(a);
	unload(b);
	unload(a);   /* again: a stays the first */
	ck_assert_ptr_eq(module_instance_original_at(LIB_START), a);
	ck_assert_ptr_eq(module_instance_original_at(LIB_LIMIT - 1), a);
	ck_assert_ptr_null(module_instance_original_at(LIB_LIMIT));
	module_reused_bounds(&lo, &hi);
	ck_assert_uint_eq(lo, LIB_START);
	ck_assert_uint_eq(hi, LIB_LIMIT);
}
END_TEST

START_TEST(the_era_moves_only_when_something_was_unloaded)
{
	ck_assert_uint_eq(module_era_now(), 0);
	module_unload_begin();
	ck_assert(!MODULE_ERA_STABLE(module_era_now()));
	module_unload_begin();
	module_unload_end(1);
	ck_assert(!MODULE_ERA_STABLE(module_era_now()));
	module_unload_end(0);
	ck_assert_uint_eq(module_era_now(), 1);
	module_unload_begin();
	module_unload_end(0);
	ck_assert_uint_eq(module_era_now(), 1);
}
END_TEST

START_TEST(frames_are_tagged_where_another_library_runs_in_a_reused_range)
{
	fake_sys_install();
	uintptr_t pcs[3] = { LIB_START + 0x109, 0x5000, LIB_LIMIT + 1 }, out[3];
	const struct module_instance *a = lib("a.so");
	fake_object_set("a.so", 0x10000, LIB_START, LIB_LIMIT);
	ck_assert_uint_eq(module_tag_stack(pcs, out, 3), 0);   /* nothing unloaded yet */
	unload(a);
	fake_object_set("b.so", 0x10000, LIB_START, LIB_LIMIT);
	ck_assert_uint_eq(module_tag_stack(pcs, out, 3), 1);
	const struct module_instance *b = lib("b.so");
	ck_assert_uint_eq(out[0], (pcs[0] | module_instance_offset(b)));
	ck_assert_uint_eq(out[1], pcs[1]);
	ck_assert_uint_eq(out[2], pcs[2]);   /* returns past the end: its call is not in it */
	ck_assert_uint_eq(real_address(out[0]), pcs[0]);
	ck_assert(atomic_load(&b->tagged));
	/* b's frame is symbolized in b's copy, an untagged one in a's. */
	ck_assert_uint_eq(frame_symbol_address(out[0]), out[0]);
	ck_assert_uint_eq(frame_symbol_address(pcs[0]), pcs[0] + module_instance_offset(a));
	ck_assert_uint_eq(frame_symbol_address(0x5000), 0x5000);
	/* a loaded again where it was: its frames are the original's. */
	fake_object_set("a.so", 0x10000, LIB_START, LIB_LIMIT);
	ck_assert_uint_eq(module_tag_stack(pcs, out, 3), 0);
	ck_assert_uint_eq(out[0], pcs[0]);
	fake_sys_restore();
}
END_TEST

static size_t heap_buckets(void)
{
	size_t n = 0;
	struct bucket_view v = buckets_view(BUCKET_HEAP);
	for (struct bucket *b = v.newest; b; b = atomic_load(&b->allnext))
		n++;
	return n;
}

START_TEST(two_libraries_at_one_address_get_a_bucket_each_and_no_more)
{
	fake_sys_install();
	uintptr_t stk[2] = { LIB_START + 0x109, 0x5000 };
	const struct module_instance *a = lib("a.so"), *b = lib("b.so");
	fake_object_set("a.so", 0x10000, LIB_START, LIB_LIMIT);
	struct bucket *in_a = bucket_for_stack(BUCKET_HEAP, stk, 2);
	ck_assert_uint_eq(in_a->tagged, 0);
	struct bucket *in_b = NULL;
	for (int round = 0; round < 100; round++) {
		unload(a);
		fake_object_set("b.so", 0x10000, LIB_START, LIB_LIMIT);
		struct bucket *now = bucket_for_stack(BUCKET_HEAP, stk, 2);
		ck_assert_ptr_ne(now, in_a);
		ck_assert_uint_eq(now->tagged, 1);
		ck_assert_uint_eq(real_address(now->stk[0]), stk[0]);
		if (in_b == NULL)
			in_b = now;
		ck_assert_ptr_eq(now, in_b);
		ck_assert_ptr_eq(bucket_for_stack(BUCKET_HEAP, stk, 2), in_b);
		unload(b);
		fake_object_set("a.so", 0x10000, LIB_START, LIB_LIMIT);
		ck_assert_ptr_eq(bucket_for_stack(BUCKET_HEAP, stk, 2), in_a);
	}
	ck_assert_uint_eq(heap_buckets(), 2);
	fake_sys_restore();
}
END_TEST

START_TEST(no_bucket_is_confirmed_while_a_dlclose_is_under_way)
{
	fake_sys_install();
	uintptr_t stk[2] = { LIB_START + 0x109, 0x5000 };
	struct bucket *x = bucket_for_stack(BUCKET_HEAP, stk, 2);
	ck_assert_uint_eq(atomic_load(&x->era), 0);
	module_unload_begin();
	ck_assert_ptr_eq(bucket_for_stack(BUCKET_HEAP, stk, 2), x);
	ck_assert_uint_eq(atomic_load(&x->era), UINT64_MAX);
	module_unload_end(1);
	ck_assert_ptr_eq(bucket_for_stack(BUCKET_HEAP, stk, 2), x);
	ck_assert_uint_eq(atomic_load(&x->era), 1);
	fake_sys_restore();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("module_instances");
	TCase *tc = tcase_create("module_instances");
	tcase_add_test(tc, each_instance_is_listed_once_with_its_own_index);
	tcase_add_test(tc, threads_listing_the_same_instances_list_each_once);
	tcase_add_test(tc, the_original_instance_is_the_first_unloaded_there);
	tcase_add_test(tc, the_era_moves_only_when_something_was_unloaded);
	tcase_add_test(tc, frames_are_tagged_where_another_library_runs_in_a_reused_range);
	tcase_add_test(tc, two_libraries_at_one_address_get_a_bucket_each_and_no_more);
	tcase_add_test(tc, no_bucket_is_confirmed_while_a_dlclose_is_under_way);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
