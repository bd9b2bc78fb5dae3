/*
 * die_tree.c — children lists and the descent to a DIE (see die_tree.h).
 * A parent is known by the address of its DIE in the mapped debug data,
 * which is unique across the files of a session (a unit's own file or a
 * supplementary one).
 */
#include "die_tree.h"

#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "libdw_fns.h"

struct sym_die_children {
	const void *parent;   /* Dwarf_Die.addr of the parent */
	Dwarf_Die *dies;      /* in order, so by increasing offset */
	size_t n;
};

static void children_free(struct sym_die_children *c)
{
	if (c != NULL)
		free(c->dies);
	free(c);
}

static struct sym_die_children *list_children(Dwarf_Die *parent)
{
	struct sym_die_children *c = calloc(1, sizeof *c);
	Dwarf_Die child;
	size_t cap = 0;
	if (c == NULL)
		return NULL;
	c->parent = parent->addr;
	if (libdw->dwarf_child(parent, &child) != 0)
		return c;
	do {
		if (c->n == cap && sym_array_grow((void **)&c->dies, &cap, sizeof *c->dies) != 0) {
			children_free(c);
			return NULL;
		}
		c->dies[c->n++] = child;
	} while (libdw->dwarf_siblingof(&child, &child) == 0);
	return c;
}

/* The position of parent's list in tree->v, or where it would go. */
static size_t position(const struct sym_die_tree *tree, const void *parent)
{
	size_t lo = 0, hi = tree->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((const char *)tree->v[mid]->parent < (const char *)parent)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct sym_die_children *children_of(struct sym_die_tree *tree, Dwarf_Die *parent)
{
	size_t at = position(tree, parent->addr);
	if (at < tree->n && tree->v[at]->parent == parent->addr)
		return tree->v[at];
	struct sym_die_children *c = list_children(parent);
	if (c == NULL || sym_array_insert((void ***)&tree->v, &tree->n, &tree->cap, at, c) != 0) {
		children_free(c);
		return NULL;
	}
	return c;
}

/* The last child starting at or before offset want, or NULL. */
static Dwarf_Die *last_child_at_or_before(const struct sym_die_children *c, Dwarf_Off want)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (libdw->dwarf_dieoffset(&c->dies[mid]) <= want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 ? &c->dies[lo - 1] : NULL;
}

int sym_die_ancestors(struct sym_die_tree *tree, Dwarf_Die *die, Dwarf_Die *path, int max)
{
	Dwarf_Die parent;
	if (libdw->dwarf_diecu(die, &parent, NULL, NULL) == NULL)
		return -1;
	Dwarf_Off want = libdw->dwarf_dieoffset(die);
	for (int n = 0; n <= max; n++) {
		const struct sym_die_children *c = children_of(tree, &parent);
		Dwarf_Die *child = c ? last_child_at_or_before(c, want) : NULL;
		if (child == NULL)
			return -1;
		if (libdw->dwarf_dieoffset(child) == want)
			return n;
		if (n == max)
			break;
		path[n] = *child;
		parent = *child;
	}
	return -1;
}

void sym_die_tree_free(struct sym_die_tree *tree)
{
	for (size_t i = 0; i < tree->n; i++)
		children_free(tree->v[i]);
	free(tree->v);
	memset(tree, 0, sizeof *tree);
}
