/*
 * threadcreate_kind.c — the threadcreate kind: one count per creating
 * stack, as rows and as records of bare stacks.
 */
#include <pprof_agent.h>

#include "kind_values.h"
#include "rates.h"
#include "records.h"

int threadcreate_written(void)
{
	return atomic_load(&threadcreate_on);
}

void count_counters(const struct bucket *b, uint64_t c[MAX_COUNTERS])
{
	c[0] = atomic_load(&b->rec.count);
}

void count_fill_counters(const uint64_t *end, const uint64_t *start, struct row *r)
{
	r->values[0] = (int64_t)counter_since(end, start, 0);
}

void count_fill_row(const struct bucket *b, struct row *r)
{
	uint64_t c[MAX_COUNTERS];
	count_counters(b, c);
	count_fill_counters(c, NULL, r);
}

void stack_copy_record(const struct bucket *b, void *record)
{
	record_copy_stack(record, b);
}
