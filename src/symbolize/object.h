/*
 * object.h — one ELF object (the executable or a shared library)
 * opened for symbolization: its own Dwfl session holding exactly one module,
 * reported with dwfl_report_elf at the object's load bias. One session per
 * object (rather than one for the process) keeps an unloaded-but-retained
 * library usable even when a new library is later mapped over its old
 * addresses: the symbolizer, not libdwfl, decides which object owns a PC.
 *
 * Separate debug files are searched for on the local disk only
 * (debuginfo.c).
 */
#ifndef PPROF_AGENT_SYMBOLIZE_OBJECT_H
#define PPROF_AGENT_SYMBOLIZE_OBJECT_H

#include <stddef.h>
#include <stdint.h>
#include <elfutils/libdwfl.h>

#define SYM_BUILD_ID_MAX 64  /* bytes; longer IDs are reported as "" */

struct sym_object {
	char *path;              /* as named in /proc/self/maps or by the caller */
	uint64_t bias;           /* run-time address minus ELF p_vaddr */
	uint64_t id;             /* never reused by the symbolizer; 0 means "no object" */
	Dwfl *dwfl;
	Dwfl_Module *mod;
	char build_id[2 * SYM_BUILD_ID_MAX + 1];  /* lower-case hex, or "" */
	int has_debug_lines;     /* -1 until sym_object_has_debug_lines is asked */
	int in_use;              /* scratch mark for the symbolizer's refresh */
};

/* A segment of an object as /proc/self/maps would show it. */
struct sym_object_segment {
	uint64_t start, limit, offset;
};

/* Opens the object mapped at start from file offset `offset` (a line of
 * /proc/self/maps), computing its bias from the program headers. open_path
 * is the file to read (for a deleted file, its /proc/self/map_files entry);
 * path is the name to report. Returns NULL when it cannot be read as ELF. */
struct sym_object *sym_object_open_mapped(const char *path, const char *open_path,
                                          uint64_t start, uint64_t offset);

/* Opens path at a known load bias (a retained, possibly unloaded object). */
struct sym_object *sym_object_open_biased(const char *path, uint64_t bias);

/* Whether the /proc/self/maps line (start, offset) belongs to obj as loaded
 * now, i.e. implies the same bias. */
int sym_object_matches(struct sym_object *obj, uint64_t start, uint64_t offset);

/* Writes up to max executable segments of obj (from PT_LOAD headers with
 * PF_X, page-rounded as the kernel maps them) and returns how many. */
size_t sym_object_exec_segments(struct sym_object *obj, struct sym_object_segment *out,
                                size_t max);

/* Whether DWARF line tables were found for obj (in the file or a separate
 * debug file). The first call loads the module's DWARF, which libdw 0.188
 * does eagerly for compressed sections (megabytes for libc's debug file), so
 * the symbolizer asks only once it has a PC to look up in obj. */
int sym_object_has_debug_lines(struct sym_object *obj);

void sym_object_close(struct sym_object *obj);

#endif
