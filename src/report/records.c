/*
 * records.c — the `n, ok` record copies (see records.h). Records are read
 * without a lock, like a snapshot; a record updated concurrently may be one
 * event behind.
 */
#include "records.h"

#include <string.h>

#include "module_tags.h"

struct record_walk {
	const struct profile_kind_info *kind;
	int inuse_zero;
	size_t n, len;
	unsigned char *out;   /* NULL while counting */
};

static void record_visit(struct bucket *b, void *arg)
{
	struct record_walk *w = arg;
	if (w->kind->record_wanted && !w->kind->record_wanted(b, w->inuse_zero))
		return;
	if (w->out) {
		/* A heap record can become wanted between the walks (its last
		 * object freed or not): never write past the caller's array. */
		if (w->n >= w->len)
			return;
		void *record = w->out + w->n * w->kind->record_size;
		memset(record, 0, w->kind->record_size);
		w->kind->copy_record(b, record);
	}
	w->n++;
}

int kind_records(enum profile_kind kind, int inuse_zero, void *out, size_t len, size_t *n)
{
	const struct profile_kind_info *k = &profile_kinds[kind];
	struct bucket_view view = buckets_view(k->bucket);
	struct record_walk w = { .kind = k, .inuse_zero = inuse_zero };
	buckets_view_visit(&view, record_visit, &w);
	*n = w.n;
	if (w.n > len)
		return 0;
	if (w.n == 0)
		return 1;
	w = (struct record_walk){ .kind = k, .inuse_zero = inuse_zero, .len = len, .out = out };
	buckets_view_visit(&view, record_visit, &w);
	*n = w.n;
	return 1;
}

void record_copy_stack(struct pprof_stack_record *r, const struct bucket *b)
{
	size_t n = b->nstk < PPROF_RECORD_STACK ? b->nstk : PPROF_RECORD_STACK;
	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < n; i++)
		r->stack[i] = real_address(b->stk[i]);
}
