/*
 * symbolize.h — in-process symbolization of program counters, run by the
 * agent thread at snapshot time (never in a hook). It reads the loaded
 * objects from /proc/self/maps, opens their ELF files and DWARF with libdw,
 * and turns a PC into a chain of frames (innermost inlined callee first, the
 * physical function last) with function names, source files and lines, plus
 * the mapping (executable segment, build ID) the PC lies in.
 *
 * Results are cached per PC; all strings returned are owned by the
 * symbolizer and stay valid until symbolizer_free. Memory used here is the
 * agent's own: the caller runs with the agent's reentrancy guard raised, so
 * none of it is sampled as host heap.
 */
#ifndef PPROF_AGENT_SYMBOLIZE_H
#define PPROF_AGENT_SYMBOLIZE_H

#include <stddef.h>
#include <stdint.h>

typedef struct symbolizer symbolizer;

struct sym_mapping {
	uint64_t start, limit, offset;  /* as in /proc/self/maps (r-x segment) */
	const char *path;               /* " (deleted)" suffix removed; pseudo names like "[vdso]" kept */
	const char *build_id;           /* lower-case hex of .note.gnu.build-id, or "" */
	int index;                      /* position in symbolizer_mappings(), main executable is 0 */
	int has_debug_lines;            /* DWARF line info was found for this object */
};

struct sym_frame {
	const char *function;     /* demangled name (C: the symbol); never NULL, "" when unknown */
	const char *system_name;  /* linker symbol (mangled for C++), never NULL */
	const char *file;         /* source file, "" when unknown */
	int line;                 /* 0 when unknown */
};

symbolizer *symbolizer_new(void);
void symbolizer_free(symbolizer *s);

/* Re-reads the loaded objects (call at the start of each snapshot; cheap when
 * nothing was loaded or unloaded). Returns 0, or -1 with errno. */
int symbolizer_refresh(symbolizer *s);

/* Keeps an object's symbols available after dlclose: called (from the
 * dlclose hook, before the real dlclose) with the object's path and load
 * bias. Safe to call from any thread. */
void symbolizer_retain_module(symbolizer *s, const char *path, uint64_t load_bias);

/* The executable mappings, main executable first. */
size_t symbolizer_mappings(symbolizer *s, const struct sym_mapping **out);

/* Symbolizes pc (a return address minus 1, or an exact PC). Writes up to max
 * frames, innermost first, and returns how many (0 when nothing at all is
 * known about pc). *mapping is set to the mapping holding pc, or NULL. */
size_t symbolizer_lookup(symbolizer *s, uint64_t pc, struct sym_frame *frames, size_t max,
                         const struct sym_mapping **mapping);

#endif
