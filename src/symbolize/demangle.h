/*
 * demangle.h — C++ linker names made readable, with the process's own
 * demangler.
 *
 * libdw 0.188 has no demangler and libstdc++ is not linked into the agent,
 * so a mangled name ("_Z...") is demangled with __cxa_demangle only when
 * the process already has it (found with dlsym(RTLD_DEFAULT), as in any C++
 * program; looked for again at each refresh while missing, since libstdc++
 * may be dlopened later), then shortened as pprof shows C++ names
 * (cxx_names.h). Without it the caller keeps the mangled name, which pprof
 * demangles and shortens itself into the same text.
 */
#ifndef PPROF_AGENT_SYMBOLIZE_DEMANGLE_H
#define PPROF_AGENT_SYMBOLIZE_DEMANGLE_H

#include "cxx_names.h"
#include "string_arena.h"

typedef char *(*sym_demangle_fn)(const char *mangled, char *buf, size_t *len, int *status);

/* Zero-initialised is "no demangler found yet". */
struct sym_demangler {
	sym_demangle_fn demangle;  /* __cxa_demangle when the process has it */
};

/* Looks for the process's __cxa_demangle, unless already found. */
void sym_demangler_find(struct sym_demangler *d);

/* The arena's copy of the short form of a mangled C++ name, or NULL when
 * name is not mangled, no demangler is found, or it fails on name (the
 * ones too long or too new for it). */
const char *sym_demangle_short(const struct sym_demangler *d, struct sym_arena *arena,
                               const char *name, enum cxx_params params);

#endif
