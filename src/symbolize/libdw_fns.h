/*
 * libdw_fns.h — every libdw, libdwfl, libdwelf, libelf and gelf function the
 * symbolizer calls, reached through one table filled at run time.
 *
 * The agent does not link libdw or libelf: a host that defines a function
 * of theirs (elf_begin, dwarf_getsrcfiles, zlib's inflate…) in its
 * executable or a library loaded earlier would otherwise get the
 * symbolizer's calls, or libdw's own. libdw_load() loads them in a symbol
 * scope of their own (libdw_fns.c, docs/isolation.md) and looks each name
 * of LIBDW_FUNCTIONS up in that scope only. Code in src/symbolize/ calls
 * `libdw->elf_begin(…)`, never `elf_begin(…)`, and passes the table's
 * pointers as libdwfl callbacks.
 */
#ifndef PPROF_AGENT_SYMBOLIZE_LIBDW_FNS_H
#define PPROF_AGENT_SYMBOLIZE_LIBDW_FNS_H

#include <stddef.h>
#include <gelf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>

/* The one list of the functions used: X(name) for each. */
#define LIBDW_FUNCTIONS(X)                                                          \
	X(dwarf_attr) X(dwarf_attr_integrate) X(dwarf_child) X(dwarf_decl_column)   \
	X(dwarf_decl_file) X(dwarf_decl_line) X(dwarf_diecu) X(dwarf_diename)       \
	X(dwarf_dieoffset) X(dwarf_entrypc) X(dwarf_filesrc) X(dwarf_formref_die) X(dwarf_formstring) \
	X(dwarf_formudata) X(dwarf_getelf) X(dwarf_getsrcfiles) X(dwarf_haschildren) \
	X(dwarf_haspc) X(dwarf_ranges) X(dwarf_siblingof) X(dwarf_srclang)          \
	X(dwarf_tag)                                                                \
	X(dwelf_elf_gnu_build_id) X(dwelf_elf_gnu_debuglink)                        \
	X(dwfl_begin) X(dwfl_build_id_find_debuginfo) X(dwfl_end) X(dwfl_lineinfo)  \
	X(dwfl_linux_proc_find_elf) X(dwfl_module_addrdie) X(dwfl_module_build_id)  \
	X(dwfl_module_getdwarf) X(dwfl_module_getelf) X(dwfl_module_getsrc)         \
	X(dwfl_module_getsym_info) X(dwfl_module_getsymtab)                         \
	X(dwfl_offline_section_address) X(dwfl_report_elf) X(dwfl_report_end)      \
	X(elf_begin) X(elf_end) X(elf_getdata) X(elf_getphdrnum) X(elf_getscn) X(elf_getshdrstrndx) \
	X(elf_nextscn) X(elf_strptr) X(elf_version)                                 \
	X(gelf_getehdr) X(gelf_getphdr) X(gelf_getshdr)

#define LIBDW_FIELD(name) __typeof__(name) *name;
struct libdw_fns {
	LIBDW_FUNCTIONS(LIBDW_FIELD)
};
#undef LIBDW_FIELD

/* The functions once libdw_load() has succeeded; NULL before and when it
 * failed. */
extern const struct libdw_fns *libdw;

/* Loads the libraries and fills the table, once (later calls return the
 * first answer). Allocates: the caller's reentrancy guard is up. Returns
 * 0 when the table is usable. */
int libdw_load(void);

/* One line for the agent's log about how the libraries were loaded, when
 * there is something to say (they could not be, or they share the
 * program's symbol scope); NULL otherwise, or before libdw_load().
 * *verbose is set when the line is for verbose=1 only. */
const char *libdw_load_note(int *verbose);

#endif
