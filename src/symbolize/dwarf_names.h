/*
 * dwarf_names.h — the qualified name of a C++ function that has no linker
 * name in DWARF.
 *
 * GCC gives DW_AT_linkage_name only to functions with external linkage.
 * Everything with internal linkage goes without: functions in an anonymous
 * namespace, static functions, lambdas' operator(), and every template
 * instantiated with a lambda or a local type (std::thread's _State_impl,
 * std::function's _M_invoke, std::__invoke ...). Their DW_AT_name is bare
 * ("operator()", "_M_run"), so every lambda would read `operator()`. The
 * name is built instead from the scopes the declaration sits in, in the
 * form pprof shows C++ names (cxx_names.h), e.g.
 *   app::(anonymous namespace)::Box::grow
 *   std::thread::_State_impl::_M_run
 *   app::first_user()::{lambda@prog.cc:14:12}::operator()
 * A lambda (DWARF gives its closure type no name, and no number) is named by
 * where it is written; the function a local type lives in reads as pprof
 * prints it in a local name, with its parameters, when it has a linker name.
 */
#ifndef PPROF_AGENT_SYMBOLIZE_DWARF_NAMES_H
#define PPROF_AGENT_SYMBOLIZE_DWARF_NAMES_H

#include <elfutils/libdw.h>

#include "demangle.h"
#include "die_tree.h"
#include "string_arena.h"

/* What naming needs besides the DWARF: the demangler, where names are
 * kept, and the DIE tree of the session the DIEs belong to. */
struct sym_namer {
	const struct sym_demangler *demangler;
	struct sym_arena *arena;
	struct sym_die_tree *tree;
};

/* The linker name of a function DIE (a subprogram or an inlined instance),
 * through its abstract origin and specification, or NULL. */
const char *sym_dwarf_linkage_name(Dwarf_Die *function);

/* The arena's qualified name of a function DIE that has no linker name
 * (sym_dwarf_linkage_name is NULL), when its unit is C++; NULL for any
 * other (a C function keeps its DW_AT_name). */
const char *sym_dwarf_qualified_name(const struct sym_namer *namer, Dwarf_Die *function);

#endif
