/*
 * cxx_names.h — C++ function names as pprof shows them.
 *
 * pprof demangles a C++ symbol and, by default, simplifies it: no
 * parameter list, no template arguments, no return type, no clone suffix
 * (`std::vector<int>::push_back(int const&)` reads `std::vector::push_back`,
 * `void foo<int>(int) [clone .cold]` reads `foo`). The symbolizer writes
 * names in that form itself, from the demangler's full text, so that a
 * profile reads the same whichever tool shows it and whether or not pprof
 * demangles (docs/symbolization.md, "C++ names"). Pure text functions: no
 * allocation, no libdw.
 */
#ifndef PPROF_AGENT_SYMBOLIZE_CXX_NAMES_H
#define PPROF_AGENT_SYMBOLIZE_CXX_NAMES_H

#include <stddef.h>

/* What cxx_short_name keeps of a function's own parameter list. */
enum cxx_params {
	CXX_DROP_PARAMS,  /* `ns::f`: the name of a frame */
	CXX_KEEP_PARAMS,  /* `ns::f(int) const`: a function as the scope of a local entity,
	                     as pprof prints the `f(int)::` of `f(int)::{lambda()#1}` */
};

/* Writes into out (at least strlen(demangled) + 1 bytes) the short form of
 * demangled, a name as __cxa_demangle prints it: template arguments
 * removed everywhere (the operators <, <<, -> ... kept), the return type
 * and the clone suffixes removed, and the function's own parameter list
 * and qualifiers removed or kept as params says; the parameters of
 * enclosing functions in a local name (`f()::{lambda()#1}::operator()`)
 * stay, as pprof keeps them. Special names ("vtable for X",
 * "non-virtual thunk to X") lose their template arguments only. When the
 * text does not parse (unbalanced brackets), out is demangled unchanged.
 * Returns out. */
char *cxx_short_name(const char *demangled, enum cxx_params params, char *out);

/* Writes into out (at least strlen(name) + 1 bytes) one DWARF name
 * component without its template arguments: `vector<int, std::allocator<int> >`
 * becomes `vector`, `operator< <int>` becomes `operator<`. Returns out. */
char *cxx_strip_template_args(const char *name, char *out);

#endif
