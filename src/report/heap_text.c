/*
 * heap_text.c — the heap and allocs kinds in Go's legacy heap text (see
 * text_forms.h):
 *     heap profile: <inuse objs>: <inuse bytes> [<alloc objs>: <alloc bytes>] @ heap/<2*rate>
 *     <inuse objs>: <inuse bytes> [<alloc objs>: <alloc bytes>] @ 0x<ra> 0x<ra> ...
 *     #	0x<ra-1>	<function>+0x<offset>	<file>:<line>
 * The records are Go's MemProfile(inuse_zero = true): every site with a
 * sampled allocation, with raw sampled counts (pprof scales them by the
 * rate the header gives: twice mem_rate, as Go writes it), largest in-use
 * bytes first. As Go does, the header's alloc bytes get 1 added when they
 * equal the in-use bytes, or pprof would read a two-column profile. Go's
 * `# runtime.MemStats` trailer has no counterpart in a C program and is
 * left out; a `# pprof-agent:` line says what the rate is.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kind_values.h"
#include "mem_tally.h"
#include "rates.h"
#include "text_forms.h"
#include "text_frames.h"

struct heap_line {
	const struct bucket *b;
	int64_t inuse_objs, inuse_bytes, alloc_objs, alloc_bytes;
};

struct heap_lines {
	struct heap_line *v;
	size_t n, cap;
	int failed;
};

static int64_t minus(uint64_t a, uint64_t b)
{
	return a > b ? (int64_t)(a - b) : 0;
}

static void collect(struct bucket *b, void *arg)
{
	struct heap_lines *l = arg;
	struct mem_sum m;
	if (!heap_record_wanted(b, 1))
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct heap_line *v = realloc(l->v, cap * sizeof *v);
		if (!v) {
			l->failed = 1;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	mem_record_sum(&b->rec.mem, &m);
	l->v[l->n++] = (struct heap_line){
		.b = b,
		.inuse_objs = minus(m.allocs, m.frees),
		.inuse_bytes = minus(m.alloc_bytes, m.free_bytes),
		.alloc_objs = (int64_t)m.allocs,
		.alloc_bytes = (int64_t)m.alloc_bytes,
	};
}

/* Largest in-use bytes first; ties by allocated bytes, then by stack. */
static int by_inuse_bytes(const void *a, const void *b)
{
	const struct heap_line *x = a, *y = b;
	if (x->inuse_bytes != y->inuse_bytes)
		return x->inuse_bytes > y->inuse_bytes ? -1 : 1;
	if (x->alloc_bytes != y->alloc_bytes)
		return x->alloc_bytes > y->alloc_bytes ? -1 : 1;
	size_t n = x->b->nstk < y->b->nstk ? x->b->nstk : y->b->nstk;
	for (size_t i = 0; i < n; i++)
		if (x->b->stk[i] != y->b->stk[i])
			return x->b->stk[i] < y->b->stk[i] ? -1 : 1;
	return (x->b->nstk > y->b->nstk) - (x->b->nstk < y->b->nstk);
}

int heap_text(struct text_out *t, symbolizer *sym, enum profile_kind kind, int debug)
{
	struct heap_lines l = { 0 };
	struct heap_line total = { 0 };
	(void)kind;
	(void)debug;
	buckets_visit(BUCKET_HEAP, collect, &l);
	if (l.failed) {
		free(l.v);
		errno = ENOMEM;
		return -1;
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof *l.v, by_inuse_bytes);
	for (size_t i = 0; i < l.n; i++) {
		total.inuse_objs += l.v[i].inuse_objs;
		total.inuse_bytes += l.v[i].inuse_bytes;
		total.alloc_objs += l.v[i].alloc_objs;
		total.alloc_bytes += l.v[i].alloc_bytes;
	}
	if (total.alloc_bytes == total.inuse_bytes)
		total.alloc_bytes++;
	int64_t rate = heap_period();
	text_printf(t, "heap profile: %" PRId64 ": %" PRId64 " [%" PRId64 ": %" PRId64 "] @ heap/%" PRId64
	               "\n",
	            total.inuse_objs, total.inuse_bytes, total.alloc_objs, total.alloc_bytes, 2 * rate);
	for (size_t i = 0; i < l.n; i++) {
		const struct heap_line *h = &l.v[i];
		text_printf(t, "%" PRId64 ": %" PRId64 " [%" PRId64 ": %" PRId64 "] @", h->inuse_objs,
		            h->inuse_bytes, h->alloc_objs, h->alloc_bytes);
		text_addresses(t, h->b->stk, h->b->nstk);
		text_put(t, "\n", 1);
		text_symbol_lines(t, sym, h->b->stk, h->b->nstk);
		text_put(t, "\n", 1);
	}
	text_printf(t, "\n# pprof-agent: mem_rate = %" PRId64
	               "; the counts are those sampled, not scaled\n", rate);
	free(l.v);
	return 0;
}
