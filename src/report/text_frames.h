/*
 * text_frames.h — a stack of return addresses as text, symbolized, in the
 * two ways Go's text forms show one:
 *   - debug=1 symbol lines, one per frame (inlined ones included, each
 *     with the same address), after a record's `@ 0x... 0x...` line:
 *         #	0x<ra-1>	<function>+0x<offset>	<file>:<line>
 *     (`#	0x<ra-1>` alone where nothing names the address);
 *   - debug=2 frames, as Go's goroutine dump prints them:
 *         <function>(...)
 *         	<file>:<line> +0x<offset>
 * The address is the return address minus 1 (the call), the offset the
 * distance from the physical function's first instruction. sym may be
 * NULL: then nothing is named.
 */
#ifndef PPROF_AGENT_TEXT_FRAMES_H
#define PPROF_AGENT_TEXT_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "symbolize.h"
#include "text_out.h"

/* The `@ 0x.. 0x..` addresses of a record line (each with a space before). */
void text_addresses(struct text_out *t, const uintptr_t *stk, size_t n);

void text_symbol_lines(struct text_out *t, symbolizer *sym, const uintptr_t *stk, size_t n);

void text_dump_frames(struct text_out *t, symbolizer *sym, const uintptr_t *stk, size_t n);

#endif
