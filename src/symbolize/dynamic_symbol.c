/*
 * dynamic_symbol.c — a PC named by dladdr1 (see dynamic_symbol.h). dladdr
 * answers with the nearest exported symbol below the address even when the
 * address lies past its end (in a static function after it), so the
 * symbol's size is checked.
 */
#include "dynamic_symbol.h"

#include <dlfcn.h>
#include <link.h>

size_t sym_dynamic_symbol_frame(uint64_t pc, struct sym_raw_frame *out)
{
	Dl_info info;
	const ElfW(Sym) *sym = NULL;
	if (dladdr1((void *)(uintptr_t)pc, &info, (void **)&sym, RTLD_DL_SYMENT) == 0 ||
	    sym == NULL || info.dli_sname == NULL || info.dli_saddr == NULL)
		return 0;
	uint64_t start = (uint64_t)(uintptr_t)info.dli_saddr;
	if (pc < start || pc >= start + sym->st_size)
		return 0;
	out[0] = (struct sym_raw_frame){ info.dli_sname, NULL, "", 0, start };
	return 1;
}
