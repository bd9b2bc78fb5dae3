/*
 * symbol_index.h — the ELF symbols of one module, sorted by address, to
 * name a PC that DWARF does not (or is not read for).
 *
 * libdwfl's dwfl_module_addrinfo scans the module's whole symbol table for
 * every address it is asked about: a third of a millisecond per PC in a
 * program of 29,000 dynamic symbols (gcc's cc1), which made the exit profile
 * of a compiler run cost more CPU than the compilation. The index reads the
 * table once, on the first address asked in a session, and then answers
 * each address with a binary search and a short scan.
 *
 * Only code symbols are read (functions, indirect functions, and symbols
 * without a type, as labels are): data objects hold no PC. Among them it
 * answers as dwfl_module_addrinfo does: the closest symbol at or below
 * the address whose size covers it, a global (or weak) one before a local
 * one, among equals the better binding and then the smaller size; failing
 * that, the closest sizeless symbol (an assembly label) at or below the
 * address, in the same section, that no sized symbol between them covers.
 *
 * The names belong to the module's Dwfl session: an index is dropped with
 * the session (sym_symbol_index_free), never used across sessions.
 */
#ifndef PPROF_AGENT_SYMBOLIZE_SYMBOL_INDEX_H
#define PPROF_AGENT_SYMBOLIZE_SYMBOL_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <elfutils/libdwfl.h>

struct sym_symbol;

/* Zero-initialised is "not read yet". */
struct sym_symbol_index {
	struct sym_symbol *v;   /* sorted by start */
	size_t n;
	int state;              /* 0 not read, 1 read, -1 could not be read */
};

/* The name of the symbol naming pc (an absolute address) in mod, reading
 * mod's symbol table into ix on first use; NULL when no symbol names it. */
const char *sym_symbol_index_name(struct sym_symbol_index *ix, Dwfl_Module *mod, uint64_t pc);

void sym_symbol_index_free(struct sym_symbol_index *ix);

#endif
