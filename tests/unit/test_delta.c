/*
 * test_delta.c — unit tests of src/report/delta.c and profile_build_delta:
 * copies of a kind's counters, and the profile of what happened between
 * two of them, from known records. Heap: alloc_* are the differences and
 * inuse_* what is live at the end (not their difference); a bucket made
 * after the first copy counts from zero; a bucket with nothing new is left
 * out. Block, mutex, threadcreate: differences. The profile's time is the
 * first copy's, its duration the span, and a comment says what counts the
 * span.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "build.h"
#include "delta.h"
#include "profile_decode.h"
#include "rates.h"
#include "run_suite.h"

#define SECOND 1000000000LL

static Profile *delta_profile(const struct counts_copy *from, const struct counts_copy *to)
{
	profile_builder *pb = profile_build_delta(from, to, NULL, "seconds=2");
	ck_assert_ptr_nonnull(pb);
	return decode_built(pb);
}

/* The sample whose leaf is at address leaf - 1, or NULL. */
static const Perftools__Profiles__Sample *sample_at(const Profile *p, uint64_t leaf)
{
	for (size_t i = 0; i < p->n_sample; i++)
		for (size_t l = 0; l < p->n_location; l++)
			if (p->location[l]->id == p->sample[i]->location_id[0] &&
			    p->location[l]->address == leaf - 1)
				return p->sample[i];
	return NULL;
}

static void heap_add(struct bucket *b, uint64_t objects, uint64_t bytes, int freed)
{
	if (freed) {
		atomic_fetch_add(&b->rec.mem.frees, objects);
		atomic_fetch_add(&b->rec.mem.free_bytes, bytes);
		atomic_fetch_add(&b->rec.mem.est_frees, objects * EST_ONE);
		atomic_fetch_add(&b->rec.mem.est_free_bytes, bytes);
	} else {
		atomic_fetch_add(&b->rec.mem.allocs, objects);
		atomic_fetch_add(&b->rec.mem.alloc_bytes, bytes);
		atomic_fetch_add(&b->rec.mem.est_allocs, objects * EST_ONE);
		atomic_fetch_add(&b->rec.mem.est_alloc_bytes, bytes);
	}
}

START_TEST(heap_allocs_count_the_span_and_inuse_is_absolute)
{
	uintptr_t old_stk[1] = { 0x1001 }, new_stk[1] = { 0x2001 }, idle_stk[1] = { 0x3001 };
	rates_set_heap(1);
	struct bucket *old = bucket_for_stack(BUCKET_HEAP, old_stk, 1);
	struct bucket *idle = bucket_for_stack(BUCKET_HEAP, idle_stk, 1);
	heap_add(old, 10, 1000, 0);   /* before: 10 objects, 4 of them freed */
	heap_add(old, 4, 400, 1);
	heap_add(idle, 3, 30, 0);     /* live, but nothing happens in the span */
	struct counts_copy from, to;
	ck_assert_int_eq(counts_copy_take(KIND_HEAP, &from), 0);
	ck_assert_uint_eq(from.n, 2);
	heap_add(old, 5, 500, 0);     /* in the span: 5 more, 8 freed (some from before) */
	heap_add(old, 8, 800, 1);
	struct bucket *born = bucket_for_stack(BUCKET_HEAP, new_stk, 1);
	heap_add(born, 2, 64, 0);
	ck_assert_int_eq(counts_copy_take(KIND_HEAP, &to), 0);
	ck_assert_uint_eq(to.n, 3);
	ck_assert_ptr_null(counts_copy_find(&from, born));
	from.time_nanos = 100 * SECOND;
	to.time_nanos = 102 * SECOND;

	Profile *p = delta_profile(&from, &to);
	ck_assert_int_eq(p->time_nanos, 100 * SECOND);
	ck_assert_int_eq(p->duration_nanos, 2 * SECOND);
	ck_assert_uint_eq(p->n_comment, 1);
	const char *comment = string_at(p, p->comment[0]);
	ck_assert_ptr_nonnull(strstr(comment, "seconds=2: alloc_objects and alloc_space count what happened over the 2.000 s"));
	ck_assert_ptr_nonnull(strstr(comment, "inuse_objects and inuse_space are what is live at its end"));
	const Perftools__Profiles__Sample *s = sample_at(p, 0x1001);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->value[0], 5);      /* alloc_objects: the span's */
	ck_assert_int_eq(s->value[1], 500);
	ck_assert_int_eq(s->value[2], 3);      /* inuse: 15 - 12 at the end, not 5 - 8 */
	ck_assert_int_eq(s->value[3], 300);
	ck_assert_int_eq(s->label[0]->num, 100);   /* bytes: the span's mean size */
	s = sample_at(p, 0x2001);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->value[0], 2);      /* born in the span: from zero */
	ck_assert_int_eq(s->value[1], 64);
	ck_assert_int_eq(s->value[3], 64);
	s = sample_at(p, 0x3001);              /* still live: its in-use is shown */
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->value[0], 0);
	ck_assert_int_eq(s->value[3], 30);
	profile_decoded_free(p);

	/* the periodic form: from nothing (the first file) */
	struct counts_copy none = { .kind = KIND_HEAP, .time_nanos = 90 * SECOND };
	p = delta_profile(&none, &to);
	s = sample_at(p, 0x1001);
	ck_assert_int_eq(s->value[0], 15);
	ck_assert_int_eq(s->value[2], 3);
	ck_assert_int_eq(p->duration_nanos, 12 * SECOND);
	profile_decoded_free(p);
	counts_copy_free(&from);
	counts_copy_free(&to);
}
END_TEST

START_TEST(contention_and_threadcreate_count_the_span)
{
	uintptr_t a_stk[1] = { 0x4001 }, b_stk[1] = { 0x5001 };
	struct bucket *a = bucket_for_stack(BUCKET_MUTEX, a_stk, 1);
	struct bucket *still = bucket_for_stack(BUCKET_MUTEX, b_stk, 1);
	atomic_store(&a->rec.block.count, 3 * EST_ONE);
	atomic_store(&a->rec.block.cycles, 3000);
	atomic_store(&still->rec.block.count, 7 * EST_ONE);
	atomic_store(&still->rec.block.cycles, 7000);
	struct bucket *t = bucket_for_stack(BUCKET_THREADCREATE, a_stk, 1);
	atomic_store(&t->rec.count, 4);
	struct counts_copy mfrom, mto, tfrom, tto;
	ck_assert_int_eq(counts_copy_take(KIND_MUTEX, &mfrom), 0);
	ck_assert_int_eq(counts_copy_take(KIND_THREADCREATE, &tfrom), 0);
	atomic_fetch_add(&a->rec.block.count, 2 * EST_ONE);
	atomic_fetch_add(&a->rec.block.cycles, 250);
	atomic_fetch_add(&t->rec.count, 6);
	ck_assert_int_eq(counts_copy_take(KIND_MUTEX, &mto), 0);
	ck_assert_int_eq(counts_copy_take(KIND_THREADCREATE, &tto), 0);

	Profile *p = delta_profile(&mfrom, &mto);
	ck_assert_uint_eq(p->n_sample, 1);   /* the bucket with nothing new is left out */
	const Perftools__Profiles__Sample *s = sample_at(p, 0x4001);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->value[0], 2);
	ck_assert_int_eq(s->value[1], 250);
	ck_assert_ptr_nonnull(strstr(string_at(p, p->comment[0]), "the values count what happened"));
	profile_decoded_free(p);
	p = delta_profile(&tfrom, &tto);
	ck_assert_uint_eq(p->n_sample, 1);
	ck_assert_int_eq(p->sample[0]->value[0], 6);
	profile_decoded_free(p);
	counts_copy_free(&mfrom);
	counts_copy_free(&mto);
	counts_copy_free(&tfrom);
	counts_copy_free(&tto);
}
END_TEST

START_TEST(only_kinds_that_only_grow_have_deltas)
{
	ck_assert(kind_has_deltas(KIND_HEAP));
	ck_assert(kind_has_deltas(KIND_ALLOCS));
	ck_assert(kind_has_deltas(KIND_BLOCK));
	ck_assert(kind_has_deltas(KIND_MUTEX));
	ck_assert(kind_has_deltas(KIND_THREADCREATE));
	ck_assert(!kind_has_deltas(KIND_CPU));
	ck_assert(!kind_has_deltas(KIND_THREADS));
	struct counts_copy c;
	ck_assert_int_eq(counts_copy_take(KIND_THREADS, &c), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("delta");
	TCase *tc = tcase_create("delta");
	tcase_add_test(tc, heap_allocs_count_the_span_and_inuse_is_absolute);
	tcase_add_test(tc, contention_and_threadcreate_count_the_span);
	tcase_add_test(tc, only_kinds_that_only_grow_have_deltas);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
