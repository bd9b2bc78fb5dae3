/*
 * text_forms.h — Go's text forms of the profiles (runtime/pprof's WriteTo
 * with debug > 0), one writer per family of kinds, which the kinds table
 * (kinds.c) points at with the highest debug level each kind has:
 *   - heap, allocs (heap_text.c): the legacy heap text, raw sampled counts
 *     and `heap/2*rate` in the header, for pprof to scale;
 *   - block, mutex (contention_text.c): `--- contention:` / `--- mutex:`;
 *   - threadcreate, threads (count_text.c): `NAME profile: total N` and
 *     `count @ pc pc ...` records;
 *   - threads at debug=2 (thread_dump.c): one block per thread, as Go's
 *     goroutine dump.
 * profile_text_write picks the writer and adds, after a debug=1 text, the
 * memory map pprof's legacy parsers read (memory_map_text.c). The cpu
 * profile has no text form, as in Go.
 */
#ifndef PPROF_AGENT_TEXT_FORMS_H
#define PPROF_AGENT_TEXT_FORMS_H

#include "kinds.h"
#include "symbolize.h"
#include "text_out.h"

/* Writes kind's text form of level debug (> 0; above the kind's highest
 * level, its highest, as Go does) to output, symbolized with sym (which
 * may be NULL). Returns 0, or -1 with errno: EINVAL when the kind has no
 * text form. */
int profile_text_write(enum profile_kind kind, int debug, symbolizer *sym, profile_output output,
                       void *ctx);

/* Writes the debug=2 text of every thread (the calling one's first), or of
 * the calling thread alone with self_only: runtime.Stack's text. 0, or -1
 * with errno. */
int profile_stacks_write(int self_only, symbolizer *sym, profile_output output, void *ctx);

/* The writers the kinds table points at: each writes kind's text of level
 * debug to t. 0, or -1 with errno (the rows could not be taken). */
int heap_text(struct text_out *t, symbolizer *sym, enum profile_kind kind, int debug);
int contention_text(struct text_out *t, symbolizer *sym, enum profile_kind kind, int debug);
int count_text(struct text_out *t, symbolizer *sym, enum profile_kind kind, int debug);
/* thread_dump.c: count_text at debug=1, threads_dump at 2. */
int threads_text(struct text_out *t, symbolizer *sym, enum profile_kind kind, int debug);

/* thread_dump.c: every live thread (Go's goroutine?debug=2, and
 * runtime.Stack). Only the calling thread with self_only. */
struct thread_list;
void thread_dump_text(struct text_out *t, symbolizer *sym, const struct thread_list *threads);
int threads_dump(struct text_out *t, symbolizer *sym, int self_only);

/* memory_map_text.c: `--- Memory map: ---` and /proc/self/maps. */
void memory_map_text(struct text_out *t);

#endif
