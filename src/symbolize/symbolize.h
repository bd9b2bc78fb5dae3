/*
 * symbolize.h — in-process symbolization of program counters, and the
 * rules every file in src/symbolize/ keeps.
 *
 * The symbolizer reads the loaded objects from /proc/self/maps, opens their
 * ELF files and DWARF with libdw (loaded apart: libdw_fns.h), and turns a PC into a chain of frames
 * (innermost inlined callee first, the physical function last) with
 * function names, source files and lines, plus the mapping (executable
 * segment, build ID) the PC lies in. Results are cached per PC; all strings
 * returned are owned by the symbolizer and stay valid until symbolizer_free.
 *
 * It is a library, like the encoder: it includes nothing of the agent
 * (the build gives it no agent include path) and runs only at snapshot time,
 * on the agent's thread or in an API call, never in a hook. So, in
 * src/symbolize/:
 *   - allocating with malloc, opening and reading files are allowed (the
 *     caller has raised the agent's reentrancy guard, so none of it is
 *     counted as the host's);
 *   - a symbolizer is used by one thread at a time and takes no lock;
 *   - nothing is loaded into the process (libdebuginfod is never asked) and
 *     nothing leaves the machine;
 *   - every descriptor is opened far above the program's own
 *     (private_fd.h), and none is held between snapshots.
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
	int names_final;                /* its object was read, or it has none to read (anonymous,
	                                   "[vdso]"): what a lookup in it finds, even nothing, is
	                                   all that can be known from this machine's files */
};

struct sym_frame {
	const char *function;     /* the name shown (C: the symbol; C++: short, as pprof shows
	                             it, e.g. "std::vector::push_back"); never NULL, "" when unknown */
	const char *system_name;  /* linker symbol (mangled for C++); never NULL, "" when none */
	const char *file;         /* source file, "" when unknown */
	int line;                 /* 0 when unknown */
	uint64_t entry;           /* the first address of the physical function (the last
	                             frame of the chain), the same in every frame; 0 unknown */
};

/* The first call loads libdw (libdw_fns.h); without it, functions are named
 * from dynamic symbols only. Make the first one before the program runs
 * threads or opens files: the load opens files on low descriptors for a
 * moment, and a fork meanwhile would leave the child unable to dlopen. */
symbolizer *symbolizer_new(void);

/* One line to log about how libdw was loaded, or NULL when there is nothing
 * to say; *verbose is set when the line is for verbose=1 only. */
const char *symbolizer_load_note(int *verbose);
void symbolizer_free(symbolizer *s);

/* Re-reads the loaded objects (call at the start of each snapshot; cheap when
 * nothing was loaded or unloaded). Returns 0, or -1 with errno. */
int symbolizer_refresh(symbolizer *s);

/* Keeps the symbols of an object that has been (or is about to be)
 * unloaded by dlclose, given its path and load bias; they are used at the
 * next symbolizer_refresh once the object is no longer mapped. Asking again
 * for the same path and bias does nothing. */
void symbolizer_retain_module(symbolizer *s, const char *path, uint64_t load_bias);

/* Closes every file and libdw session the symbolizer holds (call at the
 * end of each snapshot): between snapshots it holds no descriptor. Answers
 * already found stay cached; an object is reopened when a new PC in it is
 * looked up. */
void symbolizer_release_files(symbolizer *s);

/* The executable mappings, main executable first. */
size_t symbolizer_mappings(symbolizer *s, const struct sym_mapping **out);

/* Symbolizes pc (a return address minus 1, or an exact PC). Writes up to max
 * frames, innermost first, and returns how many (0 when nothing at all is
 * known about pc). *mapping is set to the mapping holding pc, or NULL. */
size_t symbolizer_lookup(symbolizer *s, uint64_t pc, struct sym_frame *frames, size_t max,
                         const struct sym_mapping **mapping);

#endif
