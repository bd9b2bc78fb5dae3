/*
 * demangle.c — __cxa_demangle, when the process has it, then the short
 * form of cxx_names.c (see demangle.h). Both allocate: the symbolizer runs
 * only in snapshots, with the agent's reentrancy guard raised.
 */
#include "demangle.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

void sym_demangler_find(struct sym_demangler *d)
{
	if (d->demangle == NULL)
		d->demangle = (sym_demangle_fn)dlsym(RTLD_DEFAULT, "__cxa_demangle");
}

const char *sym_demangle_short(const struct sym_demangler *d, struct sym_arena *arena,
                               const char *name, enum cxx_params params)
{
	if (d->demangle == NULL || strncmp(name, "_Z", 2) != 0)
		return NULL;
	int status = -1;
	char *text = d->demangle(name, NULL, NULL, &status);
	char *short_name = status == 0 && text != NULL ? malloc(strlen(text) + 1) : NULL;
	const char *result = NULL;
	if (short_name != NULL && *cxx_short_name(text, params, short_name) != '\0')
		result = sym_arena_intern(arena, short_name);
	free(short_name);
	free(text);
	return result != NULL && *result != '\0' ? result : NULL;
}
