/*
 * build.c — builds a profile of any kind from the buckets (see build.h).
 *
 * Building goes in three steps so that the mapping flags are honest:
 *   1. collect the rows (bucket, values) worth writing;
 *   2. symbolize every PC once and note, per mapping, whether any lies in it
 *      and whether all of its PCs got a file:line;
 *   3. add the mappings with those flags, then locations and samples.
 * A mapping some location uses says has_functions once the symbolizer has
 * read all there is for it (names_final), whatever it found: pprof then
 * never looks for the binary, which is what lets the profile be read on a
 * machine without it, without warnings. Its file:line flags are set only
 * when every PC in it got one. Mappings no location uses claim nothing.
 * Steps 2 and 3 visit each distinct PC once (pc_memo.h): a PC met again
 * is skipped in step 2 and reuses its location id in step 3.
 * Location addresses are return address - 1 (every PC we hold is a return
 * address), so file:line names the call, not the line after it.
 *
 * A frame of a library that was unloaded, or that ran where one was, is
 * symbolized in its module instance's own copy of the address space
 * (module_tags.h): the symbolizer keeps each such instance at its offset,
 * and the profile gets real addresses (real_address) for its locations and
 * mappings.
 */
#include "build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_sys.h"
#include "delta.h"
#include "pc_memo.h"
#include "stack.h"
#include "module_tags.h"

#define MAX_INLINE 16

struct rows {
	struct row *v;
	size_t n, cap;
	const struct profile_kind_info *kind;
	int failed;
};

static void rows_push(struct rows *rows, const struct row *r)
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
	struct rows *rows = arg;
	struct row r = { .b = b, .stk = b->stk, .nstk = b->nstk };
	rows->kind->fill_row(b, &r);
	if (profile_row_kept(rows->kind, &r))
		rows_push(rows, &r);
}

/* The span a delta covers and what it says of it (NULL: not a delta). */
struct span {
	int64_t time_nanos, duration_nanos;
	const char *comment;
};

/* The header: time, sample types, period, the frames pprof is to drop,
 * and what the kind (and a delta) says of itself in comments. */
static int set_header(profile_builder *pb, const struct profile_kind_info *k,
                      const struct span *span)
{
	char note[256];
	int rc = 0;
	int64_t time_nanos = core_sys.walltime(), duration_nanos = 0;
	if (span) {
		time_nanos = span->time_nanos;
		duration_nanos = span->duration_nanos;
	} else if (k->interval) {
		k->interval(&time_nanos, &duration_nanos);
	}
	profile_set_time(pb, time_nanos, duration_nanos);
	for (size_t i = 0; i < k->ntypes; i++)
		rc |= profile_add_sample_type(pb, k->types[i].type, k->types[i].unit);
	rc |= profile_set_period(pb, k->period_type.type, k->period_type.unit, k->period());
	if (k->default_type)
		rc |= profile_set_default_sample_type(pb, k->default_type);
	if (k->drop_frames)
		rc |= profile_set_drop_frames(pb, k->drop_frames);
	if (span && span->comment)
		rc |= profile_add_comment(pb, span->comment);
	if (k->note && k->note(note, sizeof note))
		rc |= profile_add_comment(pb, note);
	return rc;
}

/* Per-mapping symbolization results, indexed like symbolizer_mappings(). */
struct mapping_stats {
	const struct sym_mapping *maps;
	size_t n;
	unsigned char *used, *all_lines;
	uint64_t *ids;
};

static int pseudo_pc(uintptr_t pc)
{
	return pc == BUCKET_OVERFLOW_PC || pc == BUCKET_UNKNOWN_PC;
}

static void note_pc(struct mapping_stats *ms, symbolizer *sym, uintptr_t pc)
{
	struct sym_frame frames[MAX_INLINE];
	const struct sym_mapping *m = NULL;
	if (pseudo_pc(pc))
		return;
	size_t nf = symbolizer_lookup(sym, frame_symbol_address(pc) - 1, frames, MAX_INLINE, &m);
	if (!m || m->index < 0 || (size_t)m->index >= ms->n)
		return;
	size_t i = (size_t)m->index;
	ms->used[i] = 1;
	if (nf == 0)
		ms->all_lines[i] = 0;
	for (size_t f = 0; f < nf; f++)
		if (frames[f].file[0] == '\0' || frames[f].line == 0)
			ms->all_lines[i] = 0;
}

static int add_mappings(profile_builder *pb, struct mapping_stats *ms)
{
	for (size_t i = 0; i < ms->n; i++) {
		const struct sym_mapping *m = &ms->maps[i];
		struct profile_mapping pm = {
			.memory_start = real_address(m->start),
			.memory_limit = real_address(m->limit - 1) + 1,
			.file_offset = m->offset,
			.filename = m->path,
			.build_id = m->build_id,
			.has_functions = ms->used[i] && m->names_final,
			.has_filenames = ms->used[i] && ms->all_lines[i],
			.has_line_numbers = ms->used[i] && ms->all_lines[i],
			.has_inline_frames = ms->used[i] && ms->all_lines[i],
		};
		ms->ids[i] = profile_add_mapping(pb, &pm);
		if (ms->ids[i] == 0)
			return -1;
	}
	return 0;
}

static uint64_t pseudo_location(profile_builder *pb, uintptr_t pc)
{
	const char *name = pc == BUCKET_OVERFLOW_PC
	                       ? "pprof-agent: bucket memory limit reached (raise max_bucket_mem)"
	                       : "<unknown>";
	struct profile_line line = { .function_id = profile_add_function(pb, name, name, "", 0) };
	if (line.function_id == 0)
		return 0;
	return profile_add_location(pb, 0, 0, &line, 1);
}

static uint64_t location_for_pc(profile_builder *pb, symbolizer *sym, struct mapping_stats *ms,
                                uintptr_t pc)
{
	struct sym_frame frames[MAX_INLINE];
	struct profile_line lines[MAX_INLINE];
	const struct sym_mapping *m = NULL;
	size_t nf = 0;
	if (pseudo_pc(pc))
		return pseudo_location(pb, pc);
	if (sym)
		nf = symbolizer_lookup(sym, frame_symbol_address(pc) - 1, frames, MAX_INLINE, &m);
	for (size_t f = 0; f < nf; f++) {
		const char *name = frames[f].function[0] ? frames[f].function : frames[f].system_name;
		lines[f].function_id =
		    profile_add_function(pb, name, frames[f].system_name, frames[f].file, 0);
		lines[f].line = frames[f].line;
		if (lines[f].function_id == 0)
			return 0;
	}
	uint64_t mapping_id = 0;
	if (m && m->index >= 0 && (size_t)m->index < ms->n)
		mapping_id = ms->ids[m->index];
	return profile_add_location(pb, mapping_id, real_address(pc) - 1, lines, nf);
}

/* Notes pc in the mapping stats unless the memo has met it already. */
static void note_pc_once(struct mapping_stats *ms, symbolizer *sym, struct pc_memo *memo,
                         uintptr_t pc)
{
	int added;
	if (pc_memo_entry(memo, pc, &added) == 0 || added)
		note_pc(ms, sym, pc);
}

/* The location id of pc: the memo's, or made (and kept in the memo). */
static uint64_t memoized_location(profile_builder *pb, symbolizer *sym, struct mapping_stats *ms,
                                  struct pc_memo *memo, uintptr_t pc)
{
	int added;
	uint32_t e = pc_memo_entry(memo, pc, &added);
	if (e != 0 && memo->location_ids[e - 1] != 0)
		return memo->location_ids[e - 1];
	uint64_t id = location_for_pc(pb, sym, ms, pc);
	if (e != 0)
		memo->location_ids[e - 1] = id;
	return id;
}

static int add_samples(profile_builder *pb, symbolizer *sym, struct mapping_stats *ms,
                       struct pc_memo *memo, const struct rows *rows)
{
	size_t frames = 0;
	for (size_t r = 0; r < rows->n; r++)
		frames += rows->v[r].nstk < STACK_MAX ? rows->v[r].nstk : STACK_MAX;
	profile_reserve_samples(pb, rows->n, frames, rows->n);   /* else it grows */
	uint64_t locs[STACK_MAX];
	size_t nvalues = rows->kind->ntypes;
	for (size_t r = 0; r < rows->n; r++) {
		const struct row *row = &rows->v[r];
		struct profile_label labels[1 + MAX_ROW_LABELS];
		size_t n = row->nstk < STACK_MAX ? row->nstk : STACK_MAX, nlabels = 0;
		for (size_t i = 0; i < n; i++) {
			locs[i] = memoized_location(pb, sym, ms, memo, row->stk[i]);
			if (locs[i] == 0)
				return -1;
		}
		if (row->bytes_label)
			labels[nlabels++] = (struct profile_label){ .key = "bytes", .num = row->bytes_label };
		for (size_t i = 0; i < row->nlabels && i < MAX_ROW_LABELS; i++)
			labels[nlabels++] = row->labels[i];
		if (profile_add_sample(pb, locs, n, row->values, nvalues, labels, nlabels) != 0)
			return -1;
	}
	return 0;
}

static int stats_init(struct mapping_stats *ms, symbolizer *sym)
{
	if (sym)
		ms->n = symbolizer_mappings(sym, &ms->maps);
	size_t n = ms->n ? ms->n : 1;
	ms->used = calloc(n, 2);
	ms->ids = calloc(n, sizeof(uint64_t));
	if (!ms->used || !ms->ids)
		return -1;
	ms->all_lines = ms->used + n;
	memset(ms->all_lines, 1, n);
	return 0;
}

/* Hands the module instances that frames may have run in to the
 * symbolizer, each at its own offset (it ignores those it already keeps):
 * those unloaded since the process started and those frames were tagged
 * with. Then rereads the loaded objects. */
static void refresh_symbolizer(symbolizer *sym)
{
	for (const struct module_instance *m = module_instances_newest(); m; m = m->next)
		if (atomic_load_explicit(&m->unloaded, memory_order_acquire) ||
		    atomic_load_explicit(&m->tagged, memory_order_relaxed))
			symbolizer_retain_module(sym, m->path, m->load_bias + module_instance_offset(m));
	symbolizer_refresh(sym);
}

/* Symbolizes the rows and builds the profile (frees nothing of rows). */
static profile_builder *build_rows(const struct profile_kind_info *k, const struct rows *rows,
                                   symbolizer *sym, const struct span *span)
{
	struct mapping_stats ms = { 0 };
	struct pc_memo memo;
	profile_builder *pb = NULL;
	int saved_errno = ENOMEM;

	pc_memo_init(&memo);
	if (stats_init(&ms, sym) != 0)
		goto out;
	for (size_t r = 0; sym && r < rows->n; r++)
		for (size_t i = 0; i < rows->v[r].nstk; i++)
			note_pc_once(&ms, sym, &memo, rows->v[r].stk[i]);
	pb = profile_builder_new();
	if (!pb || set_header(pb, k, span) != 0 || add_mappings(pb, &ms) != 0 ||
	    add_samples(pb, sym, &ms, &memo, rows) != 0) {
		saved_errno = errno ? errno : ENOMEM;
		profile_builder_free(pb);
		pb = NULL;
	}
out:
	pc_memo_free(&memo);
	free(ms.used);
	free(ms.ids);
	if (!pb)
		errno = saved_errno;
	return pb;
}

profile_builder *profile_build(enum profile_kind kind, symbolizer *sym)
{
	const struct profile_kind_info *k = &profile_kinds[kind];
	struct rows rows = { .kind = k };
	profile_builder *pb = NULL;
	void *taken = NULL;

	if (sym)
		refresh_symbolizer(sym);
	if (k->take_rows) {
		taken = k->take_rows(&rows.v, &rows.n);
		rows.failed = taken == NULL;
	} else {
		buckets_visit(k->bucket, collect_row, &rows);
		if (rows.failed)
			errno = ENOMEM;
	}
	if (!rows.failed)
		pb = build_rows(k, &rows, sym, NULL);
	int err = errno;
	if (k->release_rows)
		k->release_rows(taken);
	else
		free(rows.v);
	errno = err;
	return pb;
}

profile_builder *profile_build_delta(const struct counts_copy *from, const struct counts_copy *to,
                                     symbolizer *sym, const char *what)
{
	const struct profile_kind_info *k = &profile_kinds[to->kind];
	struct rows rows = { .kind = k };
	char comment[256];
	struct span span = { from->time_nanos, to->time_nanos - from->time_nanos, comment };
	if (!kind_has_deltas(to->kind) || from->kind != to->kind) {
		errno = EINVAL;
		return NULL;
	}
	snprintf(comment, sizeof comment, "%s: %s over the %.3f s from time_nanos on%s", what,
	         k->bucket == BUCKET_HEAP ? "alloc_objects and alloc_space count what happened"
	                                  : "the values count what happened",
	         (double)span.duration_nanos / 1e9,
	         k->bucket == BUCKET_HEAP ? "; inuse_objects and inuse_space are what is live at its end"
	                                  : "");
	if (sym)
		refresh_symbolizer(sym);
	for (size_t i = 0; i < to->n; i++) {
		const struct counted *e = &to->v[i];
		struct row r = { .b = e->b, .stk = e->b->stk, .nstk = e->b->nstk };
		k->fill_counters(e->c, counts_copy_find(from, e->b), &r);
		if (profile_row_kept(k, &r))
			rows_push(&rows, &r);
	}
	profile_builder *pb = NULL;
	if (rows.failed)
		errno = ENOMEM;
	else
		pb = build_rows(k, &rows, sym, &span);
	int err = errno;
	free(rows.v);
	errno = err;
	return pb;
}
