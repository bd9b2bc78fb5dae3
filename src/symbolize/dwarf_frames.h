/*
 * dwarf_frames.h — turns one PC inside a module into its chain of frames:
 * the inlined callees (innermost first) expanded from DWARF, then the
 * physical function; or, without DWARF (or without reading it), the ELF
 * symbol alone. The strings
 * returned belong to libdw and live as long as the module's Dwfl session;
 * the symbolizer copies them into its arena at once.
 */
#ifndef PPROF_AGENT_SYMBOLIZE_DWARF_H
#define PPROF_AGENT_SYMBOLIZE_DWARF_H

#include <stddef.h>
#include <stdint.h>
#include <elfutils/libdwfl.h>

#include "cu_index.h"
#include "dwarf_names.h"
#include "symbol_index.h"

struct sym_raw_frame {
	const char *name;     /* linker name (mangled for C++) when known, else the plain name;
	                         NULL if unknown */
	const char *display;  /* the qualified name DWARF gives a C++ function without a linker
	                         name (dwarf_names.h), in the namer's arena; NULL otherwise */
	const char *file;     /* "" when unknown */
	int line;             /* 0 when unknown */
};

/* Writes up to max frames for the absolute address pc in mod, innermost
 * first, and returns how many: 0 when neither DWARF nor the symbol tables
 * know anything about pc. indexes are the scope indexes of mod's session,
 * extended as new units are met; symbols its symbol index. A file:line is given only where the
 * unit's own ranges hold pc (libdwfl lends the line table of the unit
 * before a gap, e.g. to the start-up code _start). */
size_t sym_dwarf_frames(Dwfl_Module *mod, struct sym_cu_indexes *indexes,
                        struct sym_symbol_index *symbols, const struct sym_namer *namer, uint64_t pc, struct sym_raw_frame *out,
                        size_t max);

/* The one frame the symbol tables give for pc, without reading any DWARF:
 * the enclosing ELF symbol, no file or line. Returns 1, or 0 when no symbol
 * covers pc. */
size_t sym_symbol_frame(Dwfl_Module *mod, struct sym_symbol_index *symbols, uint64_t pc,
                        struct sym_raw_frame *out);

#endif
