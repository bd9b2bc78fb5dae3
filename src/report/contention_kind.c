/*
 * contention_kind.c — the block and mutex kinds: their rows and records.
 * Counts are stored as fixed-point weights (block sampling up-weights short
 * events; mutex sampling multiplies by the fraction); as Go does, a
 * recorded event never shows a count of 0.
 */
#include <inttypes.h>
#include <stdio.h>

#include <pprof_agent.h>

#include "kind_values.h"
#include "lock_waiters.h"
#include "rates.h"
#include "records.h"

/* The whole count of a weighted count, at least 1 (Go's clamp). */
static int64_t contentions_of(uint64_t count)
{
	int64_t n = (int64_t)(count / EST_ONE);
	return n > 0 ? n : 1;
}

int block_written(void)
{
	return rates_ever_on(EVER_BLOCK);
}

int mutex_written(void)
{
	return rates_ever_on(EVER_MUTEX);
}

/* Waits the mutex profile could not follow (lock_waiters.h) are said in
 * the profile, so a reader knows the figures may be low. */
int mutex_note(char *buf, size_t len)
{
	uint64_t untracked = lock_waiters_untracked();
	if (untracked == 0)
		return 0;
	snprintf(buf, len,
	         "%" PRIu64 " lock waits found the waiter table full and are not charged here",
	         untracked);
	return 1;
}

void contention_counters(const struct bucket *b, uint64_t c[MAX_COUNTERS])
{
	c[0] = atomic_load(&b->rec.block.count);
	c[1] = atomic_load(&b->rec.block.cycles);
}

void contention_fill_counters(const uint64_t *end, const uint64_t *start, struct row *r)
{
	uint64_t count = counter_since(end, start, 0);
	if (count == 0)
		return;   /* nothing recorded: a row of zeros, dropped */
	r->values[0] = contentions_of(count);
	r->values[1] = (int64_t)counter_since(end, start, 1);
}

void contention_fill_row(const struct bucket *b, struct row *r)
{
	uint64_t c[MAX_COUNTERS];
	contention_counters(b, c);
	contention_fill_counters(c, NULL, r);
}

void contention_copy_record(const struct bucket *b, void *record)
{
	struct pprof_block_record *r = record;
	r->count = contentions_of(atomic_load(&b->rec.block.count));
	r->cycles = (int64_t)atomic_load(&b->rec.block.cycles);
	record_copy_stack(&r->stack, b);
}
