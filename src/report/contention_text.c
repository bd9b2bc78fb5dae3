/*
 * contention_text.c — the block and mutex kinds in Go's contention text
 * (see text_forms.h):
 *     --- contention:            (block; `--- mutex:` for mutex)
 *     cycles/second=1000000000
 *     sampling period=1          (mutex only)
 *     <delay> <count> @ 0x<ra> 0x<ra> ...
 *     #	0x<ra-1>	<function>+0x<offset>	<file>:<line>
 *     (a blank line)
 * The rows are the binary profile's (rows.h), largest delay first. The
 * agent's clock counts nanoseconds, so cycles/second is 1e9. Go 1.19
 * writes mutex counts before scaling and the fraction as the sampling
 * period, which pprof multiplies them by; the agent scales each event when
 * it is recorded (as newer Go does), so its text says period 1, with a
 * comment line naming the fraction, and pprof reads the same totals as
 * from the binary profile.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "rates.h"
#include "rows.h"
#include "text_forms.h"
#include "text_frames.h"

static int by_delay(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->values[1] != y->values[1])
		return x->values[1] > y->values[1] ? -1 : 1;
	if (x->values[0] != y->values[0])
		return x->values[0] > y->values[0] ? -1 : 1;
	size_t n = x->nstk < y->nstk ? x->nstk : y->nstk;
	for (size_t i = 0; i < n; i++)
		if (x->stk[i] != y->stk[i])
			return x->stk[i] < y->stk[i] ? -1 : 1;
	return (x->nstk > y->nstk) - (x->nstk < y->nstk);
}

int contention_text(struct text_out *t, symbolizer *sym, enum profile_kind kind, int debug)
{
	struct profile_rows rows;
	(void)debug;
	if (profile_rows_take(kind, &rows) != 0) {
		profile_rows_release(&rows);
		return -1;
	}
	if (rows.n > 1)
		qsort(rows.v, rows.n, sizeof *rows.v, by_delay);
	int mutex = profile_kinds[kind].bucket == BUCKET_MUTEX;
	text_printf(t, "--- %s:\ncycles/second=1000000000\n", mutex ? "mutex" : "contention");
	if (mutex)
		text_printf(t, "# mutex_fraction = %" PRId64 ": the values are already multiplied by it\n"
		               "sampling period=1\n",
		            (int64_t)atomic_load(&mutex_fraction));
	for (size_t i = 0; i < rows.n; i++) {
		const struct row *r = &rows.v[i];
		text_printf(t, "%" PRId64 " %" PRId64 " @", r->values[1], r->values[0]);
		text_addresses(t, r->stk, r->nstk);
		text_put(t, "\n", 1);
		text_symbol_lines(t, sym, r->stk, r->nstk);
		text_put(t, "\n", 1);
	}
	profile_rows_release(&rows);
	return 0;
}
