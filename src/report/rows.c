/*
 * rows.c — the rows of a profile of one kind (see rows.h).
 */
#include "rows.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void profile_rows_push(struct profile_rows *rows, const struct row *r)
{
	if (rows->n == rows->cap) {
		size_t cap = rows->cap ? rows->cap * 2 : 256;
		struct row *v = realloc(rows->v, cap * sizeof(*v));
		if (!v) {
			rows->failed = 1;
			return;
		}
		rows->v = v;
		rows->cap = cap;
	}
	rows->v[rows->n++] = *r;
}

static void collect_row(struct bucket *b, void *arg)
{
	struct profile_rows *rows = arg;
	struct row r = { .b = b, .stk = b->stk, .nstk = b->nstk };
	rows->kind->fill_row(b, &r);
	if (profile_row_kept(rows->kind, &r))
		profile_rows_push(rows, &r);
}

int profile_rows_take(enum profile_kind kind, struct profile_rows *rows)
{
	const struct profile_kind_info *k = &profile_kinds[kind];
	memset(rows, 0, sizeof *rows);
	rows->kind = k;
	if (k->take_rows) {
		rows->taken = k->take_rows(&rows->v, &rows->n);
		if (!rows->taken)
			return -1;
		return 0;
	}
	/* Sized once for the buckets there are (and the overflow bucket): a
	 * table of 100k rows grown by doubling was copied at every step. */
	size_t hint = buckets_count(k->bucket) + 1;
	rows->v = malloc(hint * sizeof *rows->v);
	rows->cap = rows->v ? hint : 0;
	buckets_visit(k->bucket, collect_row, rows);
	if (rows->failed) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void profile_rows_release(struct profile_rows *rows)
{
	if (rows->kind && rows->kind->release_rows)
		rows->kind->release_rows(rows->taken);
	else
		free(rows->v);
	memset(rows, 0, sizeof *rows);
}
