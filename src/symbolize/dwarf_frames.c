/*
 * dwarf_frames.c — the inline-chain expansion (see dwarf_frames.h).
 *
 * The unit's scope index (cu_index.h) gives the innermost subprogram,
 * inlined_subroutine or entry_point holding pc, and each one's enclosing
 * scope, for example
 *   inlined_subroutine(inner) → inlined_subroutine(mid) → subprogram(outer).
 * These are the concrete instances, nested as the code was inlined (not the
 * abstract definitions' parents). Walking them outwards, the innermost
 * function's line is the line-table line of pc; every inlined_subroutine
 * carries DW_AT_call_file/DW_AT_call_line, the position of the call inside
 * the next function out, so that call site becomes the file and line of the
 * following frame. The walk stops at the subprogram, the physical function.
 */
#include "dwarf_frames.h"
#include "libdw_fns.h"

#include <dwarf.h>
#include <elfutils/libdw.h>

/* The frame of a function scope: named by its linker name; a C++ function
 * without one by its qualified name, its linker name left unknown (only an
 * out-of-line copy has an ELF symbol, and both copies should read the
 * same); any other by its DW_AT_name. */
static struct sym_raw_frame scope_frame(const struct sym_namer *namer, Dwarf_Die *die,
                                        const char *file, int line)
{
	Dwarf_Attribute attr;
	struct sym_raw_frame frame = { sym_dwarf_linkage_name(die), NULL, file, line, 0 };
	if (frame.name == NULL)
		frame.display = sym_dwarf_qualified_name(namer, die);
	if (frame.name == NULL && frame.display == NULL)
		frame.name = libdw->dwarf_formstring(libdw->dwarf_attr_integrate(die, DW_AT_name, &attr));
	return frame;
}

/* Moves (*file, *line) to the call site recorded on an inlined instance. */
static void step_to_call_site(Dwarf_Die *inlined, Dwarf_Files *files, const char **file,
                              int *line)
{
	Dwarf_Attribute attr;
	Dwarf_Word value;
	const char *call_file = NULL;
	if (files != NULL &&
	    libdw->dwarf_formudata(libdw->dwarf_attr(inlined, DW_AT_call_file, &attr), &value) == 0)
		call_file = libdw->dwarf_filesrc(files, value, NULL, NULL);
	*file = call_file ? call_file : "";
	*line = libdw->dwarf_formudata(libdw->dwarf_attr(inlined, DW_AT_call_line, &attr), &value) == 0
	            ? (int)value : 0;
}

/* Expands the chain from the scopes of cu (whose addresses are pc - bias);
 * file/line start as the line table's answer for pc. Returns the frames
 * written, 0 if no function covers pc. */
static size_t walk_scopes(Dwfl_Module *mod, struct sym_cu_indexes *indexes,
                          struct sym_symbol_index *symbols,
                          const struct sym_namer *namer, Dwarf_Die *cu, uint64_t pc,
                          Dwarf_Addr bias, const char *file, int line, struct sym_raw_frame *out,
                          size_t max)
{
	const struct sym_cu_index *ix = sym_cu_index_for(indexes, cu);
	const struct sym_scope *scope = ix ? sym_cu_index_innermost(ix, pc - bias) : NULL;
	Dwarf_Files *files = NULL;
	if (scope == NULL)
		return 0;
	if (libdw->dwarf_getsrcfiles(cu, &files, NULL) != 0)
		files = NULL;
	size_t k = 0;
	for (; scope != NULL && k < max; scope = sym_cu_index_scope(ix, scope->parent)) {
		Dwarf_Die die = scope->die;
		Dwarf_Addr entry;
		out[k++] = scope_frame(namer, &die, file, line);
		if (libdw->dwarf_tag(&die) != DW_TAG_inlined_subroutine) {
			if (libdw->dwarf_entrypc(&die, &entry) == 0)
				out[k - 1].entry = entry + bias;
			break;
		}
		step_to_call_site(&die, files, &file, &line);
	}
	uint64_t symbol_entry;
	if (out[k - 1].name == NULL && out[k - 1].display == NULL) {
		out[k - 1].name = sym_symbol_index_name(symbols, mod, pc, &symbol_entry);
		if (out[k - 1].entry == 0)
			out[k - 1].entry = symbol_entry;
	}
	return k;
}

size_t sym_dwarf_frames(Dwfl_Module *mod, struct sym_cu_indexes *indexes,
                        struct sym_symbol_index *symbols, const struct sym_namer *namer, uint64_t pc, struct sym_raw_frame *out,
                        size_t max)
{
	const char *file = "";
	int line = 0;
	Dwarf_Addr bias;
	if (max == 0)
		return 0;
	Dwfl_Line *src = libdw->dwfl_module_getsrc(mod, pc);
	if (src != NULL) {
		const char *f = libdw->dwfl_lineinfo(src, NULL, &line, NULL, NULL, NULL);
		file = f ? f : "";
	}
	Dwarf_Die *cu = libdw->dwfl_module_addrdie(mod, pc, &bias);
	size_t n = cu ? walk_scopes(mod, indexes, symbols, namer, cu, pc, bias, file, line, out, max) : 0;
	if (n > 0 || sym_symbol_frame(mod, symbols, pc, out) == 0)
		return n;
	if (cu != NULL && libdw->dwarf_haspc(cu, pc - bias) > 0) {
		out[0].file = file;   /* code with a line table and no function DIE (assembly) */
		out[0].line = line;
	}
	return 1;
}

size_t sym_symbol_frame(Dwfl_Module *mod, struct sym_symbol_index *symbols, uint64_t pc,
                        struct sym_raw_frame *out)
{
	uint64_t entry;
	const char *name = sym_symbol_index_name(symbols, mod, pc, &entry);
	if (name == NULL)
		return 0;
	out[0] = (struct sym_raw_frame){ name, NULL, "", 0, entry };
	return 1;
}
