/*
 * dwarf_names.c — qualified names of C++ functions from the scopes of
 * their declaration (see dwarf_names.h).
 *
 * A function DIE leads, through DW_AT_abstract_origin (an inlined instance,
 * an out-of-line copy) and DW_AT_specification (a member defined outside
 * its class), to the declaration that sits in its namespace or class, whose
 * ancestors come from the session's DIE tree (die_tree.h). Only functions
 * without a linker name get here, once per PC (the symbolizer keeps every
 * answer).
 *
 * The ancestors then read, innermost first, until a function or the unit:
 *   namespace      its name, or "(anonymous namespace)"
 *   class, struct, union
 *                  its name without template arguments; without a name, a
 *                  lambda's closure type "{lambda@FILE:LINE:COLUMN}" (by the
 *                  file's base name), any other "{unnamed type@...}"
 *   function       the scope of a local type: its short name with its
 *                  parameters when it has a linker name, else its own
 *                  qualified name; nothing outside it is read
 * and lexical blocks and anything else are passed over.
 */
#include "dwarf_names.h"
#include "libdw_fns.h"

#include <dwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64   /* ancestors of a declaration read */
#define MAX_LINKS 8    /* abstract origins and specifications followed */
#define MAX_LOCAL 4    /* functions inside functions named (lambdas in lambdas) */

/* DWARF 6 codes that elfutils 0.188's dwarf.h does not name yet. */
#define LANG_C_PLUS_PLUS_17 0x2a
#define LANG_C_PLUS_PLUS_20 0x2b

/* A growing string; failed once memory runs out. */
struct text {
	char *s;
	size_t len, cap;
	int failed;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (t->failed)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 128;
		while (cap < t->len + n + 1)
			cap *= 2;
		char *bigger = realloc(t->s, cap);
		if (bigger == NULL) {
			t->failed = 1;
			return;
		}
		t->s = bigger;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void text_add_str(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

/* Adds name without its template arguments. */
static void text_add_stripped(struct text *t, const char *name)
{
	char *bare = malloc(strlen(name) + 1);
	if (bare == NULL) {
		t->failed = 1;
		return;
	}
	text_add_str(t, cxx_strip_template_args(name, bare));
	free(bare);
}

static const char *attr_string(Dwarf_Die *die, unsigned int name)
{
	Dwarf_Attribute attr;
	return libdw->dwarf_formstring(libdw->dwarf_attr_integrate(die, name, &attr));
}

const char *sym_dwarf_linkage_name(Dwarf_Die *function)
{
	const char *name = attr_string(function, DW_AT_linkage_name);
	return name ? name : attr_string(function, DW_AT_MIPS_linkage_name);
}

/* The declaration die stands for, its links followed to the end. */
static void declaration_of(Dwarf_Die *die, Dwarf_Die *decl)
{
	*decl = *die;
	for (int i = 0; i < MAX_LINKS; i++) {
		Dwarf_Attribute attr;
		Dwarf_Die next;
		Dwarf_Attribute *origin = libdw->dwarf_attr(decl, DW_AT_abstract_origin, &attr);
		if (libdw->dwarf_formref_die(origin, &next) == NULL &&
		    libdw->dwarf_formref_die(libdw->dwarf_attr(decl, DW_AT_specification, &attr),
		                             &next) == NULL)
			return;
		*decl = next;
	}
}

static int in_cxx_unit(Dwarf_Die *die)
{
	Dwarf_Die unit;
	if (libdw->dwarf_diecu(die, &unit, NULL, NULL) == NULL)
		return 0;
	switch (libdw->dwarf_srclang(&unit)) {
	case DW_LANG_C_plus_plus: case DW_LANG_C_plus_plus_03: case DW_LANG_C_plus_plus_11:
	case DW_LANG_C_plus_plus_14: case LANG_C_PLUS_PLUS_17: case LANG_C_PLUS_PLUS_20:
		return 1;
	default:
		return 0;
	}
}

static int has_call_operator(Dwarf_Die *type)
{
	Dwarf_Die member;
	if (libdw->dwarf_child(type, &member) != 0)
		return 0;
	do {
		const char *name = libdw->dwarf_diename(&member);
		if (libdw->dwarf_tag(&member) == DW_TAG_subprogram && name && strcmp(name, "operator()") == 0)
			return 1;
	} while (libdw->dwarf_siblingof(&member, &member) == 0);
	return 0;
}

/* "{lambda@prog.cc:14:12}" for a closure type, "{unnamed type@...}" for
 * any other type without a name. */
static void text_add_unnamed_type(struct text *t, Dwarf_Die *type)
{
	const char *file = libdw->dwarf_decl_file(type);
	const char *base = file ? strrchr(file, '/') : NULL;
	int line = 0, column = 0;
	char where[64];
	libdw->dwarf_decl_line(type, &line);
	libdw->dwarf_decl_column(type, &column);
	snprintf(where, sizeof where, ":%d:%d}", line, column);
	text_add_str(t, has_call_operator(type) ? "{lambda@" : "{unnamed type@");
	text_add_str(t, base ? base + 1 : file ? file : "?");
	text_add_str(t, where);
}

static void add_qualified(const struct sym_namer *namer, struct text *t, Dwarf_Die *function,
                          int local_depth);

/* Adds how a function reads as the scope of a local type. */
static void text_add_enclosing_function(const struct sym_namer *namer, struct text *t,
                                        Dwarf_Die *function, int local_depth)
{
	const char *linkage = sym_dwarf_linkage_name(function);
	const char *name = linkage ? sym_demangle_short(namer->demangler, namer->arena, linkage,
	                                                CXX_KEEP_PARAMS)
	                           : NULL;
	if (name != NULL)
		text_add_str(t, name);
	else
		add_qualified(namer, t, function, local_depth + 1);
}

/* Adds the scopes of decl, outermost first, each followed by "::". */
static void add_scopes(const struct sym_namer *namer, struct text *t, Dwarf_Die *decl,
                       int local_depth)
{
	Dwarf_Die path[MAX_DEPTH];
	int n = sym_die_ancestors(namer->tree, decl, path, MAX_DEPTH);
	int first = 0;  /* the innermost function, or the outermost ancestor */
	for (int i = n - 1; i > 0 && first == 0; i--)
		if (libdw->dwarf_tag(&path[i]) == DW_TAG_subprogram)
			first = i;
	for (int i = first; i < n; i++) {
		const char *name = libdw->dwarf_diename(&path[i]);
		switch (libdw->dwarf_tag(&path[i])) {
		case DW_TAG_namespace:
			text_add_str(t, name ? name : "(anonymous namespace)");
			break;
		case DW_TAG_class_type: case DW_TAG_structure_type: case DW_TAG_union_type:
			if (name)
				text_add_stripped(t, name);
			else
				text_add_unnamed_type(t, &path[i]);
			break;
		case DW_TAG_subprogram:
			if (local_depth >= MAX_LOCAL)
				return;
			text_add_enclosing_function(namer, t, &path[i], local_depth);
			break;
		default:
			continue;
		}
		text_add_str(t, "::");
	}
}

static void add_qualified(const struct sym_namer *namer, struct text *t, Dwarf_Die *function,
                          int local_depth)
{
	Dwarf_Die decl;
	declaration_of(function, &decl);
	const char *name = libdw->dwarf_diename(&decl);
	if (name == NULL) {
		t->failed = 1;
		return;
	}
	add_scopes(namer, t, &decl, local_depth);
	text_add_stripped(t, name);
}

const char *sym_dwarf_qualified_name(const struct sym_namer *namer, Dwarf_Die *function)
{
	if (!in_cxx_unit(function))
		return NULL;
	struct text t = { 0 };
	add_qualified(namer, &t, function, 0);
	const char *result = t.failed || t.s == NULL ? NULL : sym_arena_intern(namer->arena, t.s);
	free(t.s);
	return result != NULL && *result != '\0' ? result : NULL;
}
