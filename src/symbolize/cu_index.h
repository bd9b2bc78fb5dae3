/*
 * cu_index.h — the function scopes of a compilation unit, indexed by
 * address: every subprogram, inlined_subroutine and entry_point DIE that
 * has code, each with the enclosing one, and their address ranges sorted.
 *
 * libdw's dwarf_getscopes walks the whole unit's DIE tree for every PC it is
 * asked about, and dwarf_getscopes_die walks it again to find the path down
 * to the DIE found: a unit of 2,000 functions cost about half a second per
 * thousand PCs. The index walks each unit once, on the first PC in it, and
 * then answers each PC with a binary search and a short scan.
 *
 * An index holds Dwarf_Die values of one Dwfl session: it is dropped with
 * the session (sym_cu_indexes_free), never used across sessions.
 */
#ifndef PPROF_AGENT_SYMBOLIZE_CU_INDEX_H
#define PPROF_AGENT_SYMBOLIZE_CU_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <elfutils/libdw.h>

struct sym_scope {
	Dwarf_Die die;   /* a subprogram, inlined_subroutine or entry_point */
	int parent;      /* the enclosing scope's index, -1 for none */
};

struct sym_cu_index;

/* The indexes of one session's units, found by unit offset. Zero-initialised
 * is empty and ready. */
struct sym_cu_indexes {
	struct sym_cu_index **v;  /* sorted by unit offset */
	size_t n, cap;
};

/* The index of cu (a unit DIE from dwfl_module_addrdie), built on first
 * use; NULL when memory runs out. */
const struct sym_cu_index *sym_cu_index_for(struct sym_cu_indexes *set, Dwarf_Die *cu);

/* The innermost scope holding addr (an address in the unit's own terms, as
 * dwarf_ranges gives them), or NULL; its enclosing scopes follow through
 * sym_cu_index_scope(ix, scope->parent). */
const struct sym_scope *sym_cu_index_innermost(const struct sym_cu_index *ix, Dwarf_Addr addr);

/* Scope number i of ix, or NULL when i is -1. */
const struct sym_scope *sym_cu_index_scope(const struct sym_cu_index *ix, int i);

void sym_cu_indexes_free(struct sym_cu_indexes *set);

#endif
