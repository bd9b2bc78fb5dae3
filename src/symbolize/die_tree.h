/*
 * die_tree.h — the ancestors of a DIE, found without walking its whole
 * unit each time.
 *
 * libdw gives a DIE its children and its next sibling, not its parent. Going
 * down from the unit, the child whose subtree holds a DIE is the last child
 * that starts at or before it (DIEs are laid out depth first), but finding
 * it hops over every earlier sibling: a unit's top level and `namespace std`
 * hold thousands of DIEs, and naming 300 lambdas that way took 0.8 s. So each
 * DIE gone through keeps the list of its children, built on the first
 * descent and binary-searched after; only the DIEs on the paths looked up
 * get one. Holds Dwarf_Die values of one Dwfl session: dropped with it
 * (sym_die_tree_free), never used across sessions.
 */
#ifndef PPROF_AGENT_SYMBOLIZE_DIE_TREE_H
#define PPROF_AGENT_SYMBOLIZE_DIE_TREE_H

#include <stddef.h>
#include <elfutils/libdw.h>

struct sym_die_children;

/* The children lists of one session, sorted by parent. Zero-initialised is
 * empty and ready. */
struct sym_die_tree {
	struct sym_die_children **v;
	size_t n, cap;
};

/* Writes the ancestors of die below its unit (outermost first, the unit
 * left out) and returns how many; -1 when die cannot be found from its unit,
 * lies deeper than max, or memory runs out. */
int sym_die_ancestors(struct sym_die_tree *tree, Dwarf_Die *die, Dwarf_Die *path, int max);

void sym_die_tree_free(struct sym_die_tree *tree);

#endif
