/*
 * count_text.c — the threadcreate and threads kinds in Go's count text
 * (printCountProfile at debug=1; see text_forms.h):
 *     threads profile: total <N>
 *     <count> @ 0x<ra> 0x<ra> ...
 *     # labels: {"state":"futex", "thread_name":"worker"}    (threads)
 *     #	0x<ra-1>	<function>+0x<offset>	<file>:<line>
 *     (a blank line)
 * The rows are the binary profile's (rows.h); those with the same stack
 * and the same text labels are one record (the tid label, which every
 * thread has its own of, is left out here: debug=2 lists each thread),
 * most counted first, ties in the order of their text. A thread running
 * in user space has no stack: its record is `<count> @` with no address,
 * as Go writes a record without a stack (pprof does not read such a
 * record, here as for Go's own).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buckets.h"
#include "rows.h"
#include "text_forms.h"
#include "text_frames.h"

struct keyed {
	const struct row *r;
	char *key;      /* " 0x.. 0x..", then the labels line */
	int64_t count;
};

/* A record's key, at most KEY_MAX bytes: 64 addresses of 19 and the
 * labels, each at most 4 times its 32 bytes once quoted, fit. */
#define KEY_MAX 2048

struct key_buf {
	char text[KEY_MAX];
	size_t len;
};

static int key_append(void *ctx, const void *bytes, size_t len)
{
	struct key_buf *k = ctx;
	if (len > KEY_MAX - 1 - k->len)
		len = KEY_MAX - 1 - k->len;
	memcpy(k->text + k->len, bytes, len);
	k->len += len;
	k->text[k->len] = '\0';
	return 0;
}

static int only_unknown(const struct row *r)
{
	return r->nstk == 1 && r->stk[0] == BUCKET_UNKNOWN_PC;
}

/* The indexes of r's text labels, in the order of their keys (as Go
 * sorts a label set); returns how many. */
static size_t text_labels(const struct row *r, size_t order[MAX_ROW_LABELS])
{
	size_t n = 0;
	for (size_t i = 0; i < r->nlabels && i < MAX_ROW_LABELS; i++) {
		if (!r->labels[i].str)
			continue;
		size_t at = n++;
		for (; at > 0 && strcmp(r->labels[order[at - 1]].key, r->labels[i].key) > 0; at--)
			order[at] = order[at - 1];
		order[at] = i;
	}
	return n;
}

/* The record's key, as Go keys it: its addresses and its text labels. */
static char *key_of(const struct row *r)
{
	static struct key_buf k;
	static struct text_out t;   /* one snapshot at a time */
	size_t order[MAX_ROW_LABELS];
	size_t n = text_labels(r, order);
	k.len = 0;
	k.text[0] = '\0';
	text_out_init(&t, key_append, &k);
	if (!only_unknown(r))
		text_addresses(&t, r->stk, r->nstk);
	for (size_t i = 0; i < n; i++) {
		text_printf(&t, "%s", i == 0 ? "\n# labels: {" : ", ");
		text_quoted(&t, r->labels[order[i]].key);
		text_put(&t, ":", 1);
		text_quoted(&t, r->labels[order[i]].str);
	}
	if (n > 0)
		text_put(&t, "}", 1);
	text_out_finish(&t);
	return strdup(k.text);
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

static int by_count(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Keys the rows and merges those with the same key; returns how many
 * records are left, or -1. */
static ssize_t merge_rows(const struct profile_rows *rows, struct keyed *v)
{
	size_t n = 0;
	for (size_t i = 0; i < rows->n; i++) {
		v[i] = (struct keyed){ &rows->v[i], key_of(&rows->v[i]), rows->v[i].values[0] };
		if (!v[i].key) {
			for (size_t j = 0; j < i; j++)
				free(v[j].key);
			return -1;
		}
	}
	if (rows->n > 1)
		qsort(v, rows->n, sizeof *v, by_key);
	for (size_t i = 0; i < rows->n; i++) {
		if (n > 0 && strcmp(v[n - 1].key, v[i].key) == 0) {
			v[n - 1].count += v[i].count;
			free(v[i].key);
		} else {
			v[n++] = v[i];
		}
	}
	if (n > 1)
		qsort(v, n, sizeof *v, by_count);
	return (ssize_t)n;
}

int count_text(struct text_out *t, symbolizer *sym, enum profile_kind kind, int debug)
{
	struct profile_rows rows;
	int64_t total = 0;
	(void)debug;
	if (profile_rows_take(kind, &rows) != 0) {
		profile_rows_release(&rows);
		return -1;
	}
	struct keyed *v = calloc(rows.n ? rows.n : 1, sizeof *v);
	ssize_t n = v ? merge_rows(&rows, v) : -1;
	if (n < 0) {
		free(v);
		profile_rows_release(&rows);
		errno = ENOMEM;
		return -1;
	}
	for (ssize_t i = 0; i < n; i++)
		total += v[i].count;
	text_printf(t, "%s profile: total %" PRId64 "\n", profile_kinds[kind].name, total);
	for (ssize_t i = 0; i < n; i++) {
		text_printf(t, "%" PRId64 " @%s\n", v[i].count, v[i].key);
		if (!only_unknown(v[i].r))
			text_symbol_lines(t, sym, v[i].r->stk, v[i].r->nstk);
		text_put(t, "\n", 1);
		free(v[i].key);
	}
	free(v);
	profile_rows_release(&rows);
	return 0;
}
