/*
 * dynamic_symbol.h — naming a PC when libdw could not be loaded: the
 * dynamic linker's view of the exported symbol that holds it.
 */
#ifndef PPROF_AGENT_SYMBOLIZE_DYNAMIC_SYMBOL_H
#define PPROF_AGENT_SYMBOLIZE_DYNAMIC_SYMBOL_H

#include <stddef.h>
#include <stdint.h>

#include "dwarf_frames.h"

/* Writes the frame of the dynamic symbol whose extent holds pc (its name,
 * no file or line) and returns 1; 0 when no dynamic symbol covers pc (a
 * static function, a stripped object). */
size_t sym_dynamic_symbol_frame(uint64_t pc, struct sym_raw_frame *out);

#endif
