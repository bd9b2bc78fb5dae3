/*
 * delta.c — copies of a kind's counters (see delta.h).
 */
#include "delta.h"

#include <errno.h>
#include <stdlib.h>

#include "core_sys.h"

int kind_has_deltas(enum profile_kind kind)
{
	return kind >= 0 && kind < KIND_COUNT && profile_kinds[kind].counters != NULL;
}

struct copying {
	struct counts_copy *copy;
	size_t cap;
	void (*counters)(const struct bucket *b, uint64_t c[MAX_COUNTERS]);
};

static void count_bucket(struct bucket *b, void *arg)
{
	struct copying *cp = arg;
	cp->cap++;
	(void)b;
}

static void copy_bucket(struct bucket *b, void *arg)
{
	struct copying *cp = arg;
	struct counts_copy *copy = cp->copy;
	if (copy->n == cp->cap)
		return;
	struct counted *e = &copy->v[copy->n++];
	*e = (struct counted){ .b = b };
	cp->counters(b, e->c);
}

static int by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct counted *)a)->b;
	uintptr_t y = (uintptr_t)((const struct counted *)b)->b;
	return x < y ? -1 : x > y;
}

int counts_copy_take(enum profile_kind kind, struct counts_copy *out)
{
	*out = (struct counts_copy){ .kind = kind };
	if (!kind_has_deltas(kind)) {
		errno = EINVAL;
		return -1;
	}
	const struct profile_kind_info *k = &profile_kinds[kind];
	/* One view walked twice meets the same buckets (buckets.h). */
	struct bucket_view view = buckets_view(k->bucket);
	struct copying cp = { out, 0, k->counters };
	buckets_view_visit(&view, count_bucket, &cp);
	out->v = malloc((cp.cap ? cp.cap : 1) * sizeof *out->v);
	if (!out->v) {
		errno = ENOMEM;
		return -1;
	}
	out->time_nanos = core_sys.walltime();
	buckets_view_visit(&view, copy_bucket, &cp);
	qsort(out->v, out->n, sizeof *out->v, by_address);
	return 0;
}

void counts_copy_free(struct counts_copy *copy)
{
	free(copy->v);
	copy->v = NULL;
	copy->n = 0;
}

const uint64_t *counts_copy_find(const struct counts_copy *copy, const struct bucket *b)
{
	struct counted key = { .b = b };
	const struct counted *e =
	        copy->n ? bsearch(&key, copy->v, copy->n, sizeof key, by_address) : NULL;
	return e ? e->c : NULL;
}
