/*
 * debuginfo.h — where the symbolizer finds separate debug files:
 * a Dwfl find_debuginfo callback that searches the local disk only.
 *
 * libdw 0.188's dwfl_standard_find_debuginfo ends every unsuccessful search
 * by asking debuginfod, and to do so it dlopens libdebuginfod (and with it
 * libcurl, gnutls, krb5, …) into the process even when DEBUGINFOD_URLS is
 * unset. A profiler must not load libraries into, or fetch files over the
 * network from, the program it profiles, so this callback replaces it.
 */
#ifndef PPROF_AGENT_SYMBOLIZE_DEBUGINFO_H
#define PPROF_AGENT_SYMBOLIZE_DEBUGINFO_H

#include <elfutils/libdwfl.h>

/* Searches by build ID (/usr/lib/debug/.build-id/xx/yyyy.debug), then by the
 * .gnu_debuglink name next to the file, in its .debug directory and under
 * /usr/lib/debug<dir>; a debuglink candidate must carry the module's build
 * ID when it has one. Returns an fd and sets *debuginfo_file_name (malloc'd),
 * or returns -1. */
int sym_find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
                       const char *file_name, const char *debuglink_file,
                       GElf_Word debuglink_crc, char **debuginfo_file_name);

/* Whether mod's .gnu_debuglink names a file, carrying mod's build ID, beside
 * file_name (in its directory or its .debug subdirectory), as a program
 * that ships its own debug files has it; the system debug directory
 * /usr/lib/debug is not looked at. */
int sym_debug_file_beside(Dwfl_Module *mod, const char *file_name);

#endif
