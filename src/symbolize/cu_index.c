/*
 * cu_index.c — building and searching a unit's scope index (see
 * cu_index.h).
 *
 * Building walks the unit's DIE tree once, depth first (into the partial
 * units it imports too, as dwarf_getscopes does), carrying the nearest
 * enclosing scope; each scope DIE with code adds its address ranges
 * as pieces (start, end, scope, DIE depth). The pieces are sorted by start,
 * outer before inner at equal starts, and max_end[i] is the highest end
 * among pieces 0..i.
 *
 * Searching relies on how DWARF nests code: an inlined instance's ranges lie
 * inside those of the function it was inlined into, a nested function's
 * inside its parent's. So of the pieces holding an address, the innermost
 * starts last (and, at an equal start, lies deeper): scanning back from the
 * last piece that starts at or before the address, the first piece that
 * holds it is the answer, and the scan stops as soon as no earlier piece
 * reaches the address (max_end).
 */
#include "cu_index.h"

#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "libdw_fns.h"

#define MAX_NESTING 256  /* DIE tree depth walked; deeper subtrees are left out */

struct piece {
	Dwarf_Addr start, end;
	uint32_t scope, depth;
};

struct sym_cu_index {
	Dwarf_Off offset;              /* of the unit DIE */
	struct sym_scope *scopes;
	size_t nscopes, scopes_cap;
	struct piece *pieces;          /* sorted once the walk is done */
	size_t npieces, pieces_cap;
	Dwarf_Addr *max_end;
	int failed;                    /* memory ran out while building */
};

static int add_scope(struct sym_cu_index *ix, const Dwarf_Die *die, int parent)
{
	if (ix->nscopes == ix->scopes_cap &&
	    sym_array_grow((void **)&ix->scopes, &ix->scopes_cap, sizeof *ix->scopes) != 0) {
		ix->failed = 1;
		return -1;
	}
	ix->scopes[ix->nscopes] = (struct sym_scope){ *die, parent };
	return (int)ix->nscopes++;
}

static void add_piece(struct sym_cu_index *ix, Dwarf_Addr start, Dwarf_Addr end, int scope,
                      uint32_t depth)
{
	if (ix->npieces == ix->pieces_cap &&
	    sym_array_grow((void **)&ix->pieces, &ix->pieces_cap, sizeof *ix->pieces) != 0) {
		ix->failed = 1;
		return;
	}
	ix->pieces[ix->npieces++] = (struct piece){ start, end, (uint32_t)scope, depth };
}

static int is_scope_tag(int tag)
{
	return tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine ||
	       tag == DW_TAG_entry_point;
}

/* Adds die as a scope when it is one and has code; returns the scope its
 * children lie in. */
static int note_die(struct sym_cu_index *ix, Dwarf_Die *die, int parent, uint32_t depth)
{
	if (!is_scope_tag(libdw->dwarf_tag(die)))
		return parent;
	Dwarf_Addr base, start, end;
	int scope = -1;
	for (ptrdiff_t off = 0; (off = libdw->dwarf_ranges(die, off, &base, &start, &end)) > 0;) {
		if (start >= end)
			continue;
		if (scope < 0 && (scope = add_scope(ix, die, parent)) < 0)
			return parent;
		add_piece(ix, start, end, scope, depth);
	}
	return scope < 0 ? parent : scope;
}

static void walk(struct sym_cu_index *ix, Dwarf_Die *die, int parent, uint32_t depth)
{
	Dwarf_Die child;
	if (depth >= MAX_NESTING || libdw->dwarf_child(die, &child) != 0)
		return;
	do {
		Dwarf_Attribute attr;
		Dwarf_Die unit;
		if (libdw->dwarf_tag(&child) == DW_TAG_imported_unit) {
			if (libdw->dwarf_formref_die(libdw->dwarf_attr(&child, DW_AT_import, &attr), &unit) != NULL)
				walk(ix, &unit, parent, depth + 1);
			continue;
		}
		int inner = note_die(ix, &child, parent, depth);
		if (libdw->dwarf_haschildren(&child) > 0)
			walk(ix, &child, inner, depth + 1);
	} while (!ix->failed && libdw->dwarf_siblingof(&child, &child) == 0);
}

static int piece_order(const void *a, const void *b)
{
	const struct piece *p = a, *q = b;
	if (p->start != q->start)
		return p->start < q->start ? -1 : 1;
	return (p->depth > q->depth) - (p->depth < q->depth);
}

static void index_free(struct sym_cu_index *ix)
{
	if (ix == NULL)
		return;
	free(ix->scopes);
	free(ix->pieces);
	free(ix->max_end);
	free(ix);
}

static struct sym_cu_index *index_build(Dwarf_Die *cu, Dwarf_Off offset)
{
	struct sym_cu_index *ix = calloc(1, sizeof *ix);
	if (ix == NULL)
		return NULL;
	ix->offset = offset;
	walk(ix, cu, -1, 0);
	if (ix->npieces > 0 && (ix->max_end = malloc(ix->npieces * sizeof *ix->max_end)) == NULL)
		ix->failed = 1;
	if (ix->failed) {
		index_free(ix);
		return NULL;
	}
	qsort(ix->pieces, ix->npieces, sizeof *ix->pieces, piece_order);
	for (size_t i = 0; i < ix->npieces; i++) {
		Dwarf_Addr before = i > 0 ? ix->max_end[i - 1] : 0;
		ix->max_end[i] = ix->pieces[i].end > before ? ix->pieces[i].end : before;
	}
	return ix;
}

/* The position of the unit at offset in set->v, or where it would go. */
static size_t position(const struct sym_cu_indexes *set, Dwarf_Off offset)
{
	size_t lo = 0, hi = set->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (set->v[mid]->offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct sym_cu_index *sym_cu_index_for(struct sym_cu_indexes *set, Dwarf_Die *cu)
{
	Dwarf_Off offset = libdw->dwarf_dieoffset(cu);
	size_t at = position(set, offset);
	if (at < set->n && set->v[at]->offset == offset)
		return set->v[at];
	struct sym_cu_index *ix = index_build(cu, offset);
	if (ix == NULL || sym_array_insert((void ***)&set->v, &set->n, &set->cap, at, ix) != 0) {
		index_free(ix);
		return NULL;
	}
	return ix;
}

const struct sym_scope *sym_cu_index_innermost(const struct sym_cu_index *ix, Dwarf_Addr addr)
{
	size_t lo = 0, hi = ix->npieces;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->pieces[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i-- > 0 && ix->max_end[i] > addr;)
		if (addr < ix->pieces[i].end)
			return &ix->scopes[ix->pieces[i].scope];
	return NULL;
}

const struct sym_scope *sym_cu_index_scope(const struct sym_cu_index *ix, int i)
{
	return i >= 0 ? &ix->scopes[i] : NULL;
}

void sym_cu_indexes_free(struct sym_cu_indexes *set)
{
	for (size_t i = 0; i < set->n; i++)
		index_free(set->v[i]);
	free(set->v);
	memset(set, 0, sizeof *set);
}
