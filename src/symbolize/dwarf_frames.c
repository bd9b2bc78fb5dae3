/*
 * dwarf_frames.c — the inline-chain expansion (see dwarf_frames.h),
 * done the way eu-addr2line -i does it.
 *
 * dwarf_getscopes(cu, pc) finds the innermost scope holding pc, but above an
 * inlined instance it continues with the *abstract* definition's parents, not
 * with the caller. So only its first result is used; dwarf_getscopes_die on
 * that DIE then gives the concrete nesting, for example
 *   lexical_block → inlined_subroutine(inner) → inlined_subroutine(mid)
 *   → subprogram(outer) → compile_unit.
 * Walking it outwards, the innermost function's line is the line-table line
 * of pc; every inlined_subroutine carries DW_AT_call_file/DW_AT_call_line,
 * the position of the call inside the next function out, so that call site
 * becomes the file and line of the following frame. The walk stops at the
 * subprogram, the physical function.
 */
#include "dwarf_frames.h"

#include <dwarf.h>
#include <stdlib.h>
#include <elfutils/libdw.h>

static const char *attr_string(Dwarf_Die *die, unsigned int name)
{
	Dwarf_Attribute attr;
	return dwarf_formstring(dwarf_attr_integrate(die, name, &attr));
}

/* The linkage name through abstract origins and specifications, else the
 * plain DW_AT_name. */
static const char *function_name(Dwarf_Die *die)
{
	const char *name = attr_string(die, DW_AT_linkage_name);
	if (name == NULL)
		name = attr_string(die, DW_AT_MIPS_linkage_name);
	if (name == NULL)
		name = attr_string(die, DW_AT_name);
	return name;
}

static const char *symbol_name(Dwfl_Module *mod, uint64_t pc)
{
	GElf_Off offset;
	GElf_Sym sym;
	return dwfl_module_addrinfo(mod, pc, &offset, &sym, NULL, NULL, NULL);
}

/* Moves (*file, *line) to the call site recorded on an inlined instance. */
static void step_to_call_site(Dwarf_Die *inlined, Dwarf_Files *files, const char **file,
                              int *line)
{
	Dwarf_Attribute attr;
	Dwarf_Word value;
	const char *call_file = NULL;
	if (files != NULL && dwarf_formudata(dwarf_attr(inlined, DW_AT_call_file, &attr), &value) == 0)
		call_file = dwarf_filesrc(files, value, NULL, NULL);
	*file = call_file ? call_file : "";
	*line = dwarf_formudata(dwarf_attr(inlined, DW_AT_call_line, &attr), &value) == 0
	            ? (int)value : 0;
}

/* The innermost scope DIE holding the module-relative address, or -1. */
static int innermost_scope(Dwarf_Die *cu, Dwarf_Addr addr, Dwarf_Die *out)
{
	Dwarf_Die *scopes = NULL;
	int n = dwarf_getscopes(cu, addr, &scopes);
	if (n > 0)
		*out = scopes[0];
	free(scopes);
	return n > 0 ? 0 : -1;
}

/* Expands the chain from the DWARF scopes of cu (whose addresses are pc -
 * bias); file/line start as the line table's answer for pc. Returns the frames written, 0 if no function covers pc. */
static size_t walk_scopes(Dwfl_Module *mod, Dwarf_Die *cu, uint64_t pc, Dwarf_Addr bias,
                          const char *file, int line, struct sym_raw_frame *out, size_t max)
{
	Dwarf_Die inner, *scopes = NULL;
	Dwarf_Files *files = NULL;
	if (innermost_scope(cu, pc - bias, &inner) < 0)
		return 0;
	int n = dwarf_getscopes_die(&inner, &scopes);
	if (dwarf_getsrcfiles(cu, &files, NULL) != 0)
		files = NULL;
	size_t k = 0;
	for (int i = 0; i < n && k < max; i++) {
		int tag = dwarf_tag(&scopes[i]);
		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram &&
		    tag != DW_TAG_entry_point)
			continue;
		out[k++] = (struct sym_raw_frame){ function_name(&scopes[i]), file, line };
		if (tag != DW_TAG_inlined_subroutine)
			break;
		step_to_call_site(&scopes[i], files, &file, &line);
	}
	if (k > 0 && out[k - 1].name == NULL)
		out[k - 1].name = symbol_name(mod, pc);
	free(scopes);
	return k;
}

size_t sym_dwarf_frames(Dwfl_Module *mod, uint64_t pc, struct sym_raw_frame *out, size_t max)
{
	const char *file = "";
	int line = 0;
	Dwarf_Addr bias;
	if (max == 0)
		return 0;
	Dwfl_Line *src = dwfl_module_getsrc(mod, pc);
	if (src != NULL) {
		const char *f = dwfl_lineinfo(src, NULL, &line, NULL, NULL, NULL);
		file = f ? f : "";
	}
	Dwarf_Die *cu = dwfl_module_addrdie(mod, pc, &bias);
	size_t n = cu ? walk_scopes(mod, cu, pc, bias, file, line, out, max) : 0;
	if (n > 0 || sym_symbol_frame(mod, pc, out) == 0)
		return n;
	out[0].file = file;
	out[0].line = line;
	return 1;
}

size_t sym_symbol_frame(Dwfl_Module *mod, uint64_t pc, struct sym_raw_frame *out)
{
	const char *name = symbol_name(mod, pc);
	if (name == NULL)
		return 0;
	out[0] = (struct sym_raw_frame){ name, "", 0 };
	return 1;
}
