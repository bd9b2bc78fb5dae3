/*
 * object.h — one ELF object (the executable or a shared library) known to
 * the symbolizer: where it is loaded (its bias, from its program headers),
 * its build ID, and, only while a snapshot needs it, a libdw session of its
 * own holding exactly one module, reported at the object's bias.
 *
 * One session per object (rather than one for the process) keeps an
 * unloaded-but-retained library usable even when a new library is later
 * mapped over its old addresses: the symbolizer, not libdwfl, decides which
 * object owns a PC. Sessions are closed at the end of every snapshot
 * (sym_object_suspend), with the file descriptors and the DWARF they hold:
 * between snapshots the symbolizer holds no descriptor, and its cached
 * answers keep it from reopening an object until a new PC needs one.
 *
 * Separate debug files are searched for on the local disk only
 * (debuginfo.c).
 *
 * Which DWARF is read. An object's DWARF (file:line, inlined frames) is read
 * when it is in the object's own file, in a debug file beside it (found
 * through .gnu_debuglink in its directory or its .debug subdirectory), or,
 * for the main executable only, anywhere a debug file is found. Any other
 * object is named from its symbol table alone: that of its file, or of its
 * separate debug file under /usr/lib/debug when one is installed, which
 * names static functions too. The DWARF of such system debug files (libc6-dbg
 * and the -dbgsym packages) is never opened: libdw 0.188 inflates every
 * compressed debug section of a file whole when it opens its DWARF, about
 * 30 ms and 20 MB for libc's alone, at the first snapshot of every program,
 * to give file:line to libc's frames.
 */
#ifndef PPROF_AGENT_SYMBOLIZE_OBJECT_H
#define PPROF_AGENT_SYMBOLIZE_OBJECT_H

#include <stddef.h>
#include <stdint.h>
#include <elfutils/libdwfl.h>

#include "cu_index.h"
#include "die_tree.h"
#include "symbol_index.h"

#define SYM_BUILD_ID_MAX 64  /* bytes; longer IDs are reported as "" */
#define SYM_MAX_LOADS 16     /* PT_LOAD headers kept per object */

/* A PT_LOAD program header, as much of it as placing the object needs. */
struct sym_load {
	uint64_t offset, vaddr, filesz, memsz;
	int exec;
};

struct sym_object {
	char *path;              /* as named in /proc/self/maps or by the caller */
	char *open_path;         /* the file to read (a /proc/self/map_files entry for a deleted one) */
	uint64_t bias;           /* run-time address minus ELF p_vaddr */
	uint64_t id;             /* never reused by the symbolizer; 0 means "no object" */
	int fixed;               /* ET_EXEC: loaded at its link addresses */
	struct sym_load loads[SYM_MAX_LOADS];
	size_t nloads;
	char build_id[2 * SYM_BUILD_ID_MAX + 1];  /* lower-case hex, or "" */
	int own_dwarf;           /* the file itself has a .debug_info section */
	int main_program;        /* the executable; set by the symbolizer when it opens obj */
	int uses_dwarf;          /* -1 until sym_object_uses_dwarf is asked */
	int has_debug_lines;     /* -1 until sym_object_has_debug_lines is asked */
	int in_use;              /* scratch mark for the symbolizer's refresh */
	Dwfl *dwfl;              /* the session while open, else NULL */
	Dwfl_Module *mod;
	struct sym_cu_indexes cu_indexes;  /* the session's units met so far */
	struct sym_die_tree die_tree;      /* the session's DIEs gone through by naming */
	struct sym_symbol_index symbols;   /* the session's ELF symbols, once one was asked for */
};

/* A segment of an object as /proc/self/maps would show it. */
struct sym_object_segment {
	uint64_t start, limit, offset;
};

/* Reads the object mapped at start from file offset `offset` (a line of
 * /proc/self/maps): its headers and build ID, its bias. open_path is the
 * file to read; path is the name to report. NULL when it cannot be read as
 * ELF. No session is opened. */
struct sym_object *sym_object_open_mapped(const char *path, const char *open_path,
                                          uint64_t start, uint64_t offset);

/* Reads path as an object loaded at bias (retained, possibly unloaded). */
struct sym_object *sym_object_open_biased(const char *path, uint64_t bias);

/* Whether the /proc/self/maps line (start, offset) belongs to obj as loaded
 * now, i.e. implies the same bias. */
int sym_object_matches(const struct sym_object *obj, uint64_t start, uint64_t offset);

/* Writes up to max executable segments of obj (page-rounded as the kernel
 * maps them) and returns how many. */
size_t sym_object_exec_segments(const struct sym_object *obj, struct sym_object_segment *out,
                                size_t max);

/* The module of obj's session, opening the session if it is closed; NULL
 * when the file can no longer be read. */
Dwfl_Module *sym_object_module(struct sym_object *obj);

/* Whether obj's DWARF is to be read (see "Which DWARF is read" above),
 * decided once. Opens the session, but reads no DWARF. */
int sym_object_uses_dwarf(struct sym_object *obj);

/* Whether DWARF line tables were found for obj (in the file or a separate
 * debug file), 0 when its DWARF is not to be read. The first call loads the
 * module's DWARF, which libdw 0.188 does eagerly for compressed sections, so
 * the symbolizer asks only once it has a PC to look up in obj. */
int sym_object_has_debug_lines(struct sym_object *obj);

/* Closes obj's session, if open, with its scope indexes and DIE tree (it
 * reopens when next needed). */
void sym_object_suspend(struct sym_object *obj);

void sym_object_close(struct sym_object *obj);

#endif
