/*
 * rows.h — the rows of a profile of one kind, taken at the moment: from
 * its buckets (each filled by the kinds table's fill_row, rows of zeros
 * left out) or, for a kind without buckets, from its take_rows. The one
 * way the binary profile (build.c) and the text forms (text_forms.h) read
 * a kind, so both show the same records with the same values.
 */
#ifndef PPROF_AGENT_ROWS_H
#define PPROF_AGENT_ROWS_H

#include <stddef.h>

#include "kinds.h"

struct profile_rows {
	struct row *v;
	size_t n, cap;
	const struct profile_kind_info *kind;
	void *taken;   /* what the kind's release_rows frees (kinds without buckets) */
	int failed;
};

/* Fills rows with kind's rows now. Returns 0, or -1 with errno (release
 * them anyway). */
int profile_rows_take(enum profile_kind kind, struct profile_rows *rows);

/* Adds a row made elsewhere (a delta's); on failure rows->failed is set. */
void profile_rows_push(struct profile_rows *rows, const struct row *r);

void profile_rows_release(struct profile_rows *rows);

#endif
