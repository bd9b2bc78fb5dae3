/*
 * text_frames.c — stacks as text, symbolized (see text_frames.h).
 */
#include "text_frames.h"

#include <inttypes.h>

#include "build.h"
#include "module_tags.h"

#define MAX_INLINE 16

/* The frames naming return address ra (innermost first), 0 when none. */
static size_t frames_of(symbolizer *sym, uintptr_t ra, struct sym_frame *frames,
                        uint64_t *looked_up)
{
	*looked_up = frame_symbol_address(ra) - 1;
	if (!sym || profile_pseudo_frame(ra))
		return 0;
	size_t n = symbolizer_lookup(sym, *looked_up, frames, MAX_INLINE, NULL);
	return n > 0 && frames[0].function[0] ? n : 0;
}

static const char *name_of(const struct sym_frame *f)
{
	return f->function[0] ? f->function : f->system_name;
}

void text_addresses(struct text_out *t, const uintptr_t *stk, size_t n)
{
	for (size_t i = 0; i < n; i++)
		text_printf(t, " %#" PRIxPTR, real_address(stk[i]));
}

/* What one frame shows: pc the return address - 1, at where it was looked
 * up, its pseudo-frame name or NULL, its nf frames (innermost first). */
typedef void (*frame_shower)(struct text_out *t, uintptr_t pc, uint64_t at, const char *pseudo,
                             const struct sym_frame *frames, size_t nf);

static void each_frame(struct text_out *t, symbolizer *sym, const uintptr_t *stk, size_t n,
                       frame_shower show)
{
	struct sym_frame frames[MAX_INLINE];
	for (size_t i = 0; i < n; i++) {
		uint64_t at;
		size_t nf = frames_of(sym, stk[i], frames, &at);
		show(t, real_address(stk[i]) - 1, at, profile_pseudo_frame(stk[i]), frames, nf);
	}
}

static void symbol_lines(struct text_out *t, uintptr_t pc, uint64_t at, const char *pseudo,
                         const struct sym_frame *frames, size_t nf)
{
	if (pseudo)
		text_printf(t, "#\t%#" PRIxPTR "\t%s\n", pc, pseudo);
	else if (nf == 0)
		text_printf(t, "#\t%#" PRIxPTR "\n", pc);
	for (size_t f = 0; f < nf; f++)
		text_printf(t, "#\t%#" PRIxPTR "\t%s+%#" PRIx64 "\t%s:%d\n", pc, name_of(&frames[f]),
		            frames[f].entry ? at - frames[f].entry : 0, frames[f].file, frames[f].line);
}

static void dump_frames(struct text_out *t, uintptr_t pc, uint64_t at, const char *pseudo,
                        const struct sym_frame *frames, size_t nf)
{
	if (nf == 0)
		text_printf(t, "%s(...)\n\t?:0 pc=%#" PRIxPTR "\n", pseudo ? pseudo : "?", pc);
	for (size_t f = 0; f < nf; f++) {
		text_printf(t, "%s(...)\n\t%s:%d", name_of(&frames[f]),
		            frames[f].file[0] ? frames[f].file : "?", frames[f].line);
		if (frames[f].entry)
			text_printf(t, " +%#" PRIx64 "\n", at - frames[f].entry);
		else
			text_printf(t, " pc=%#" PRIxPTR "\n", pc);
	}
}

void text_symbol_lines(struct text_out *t, symbolizer *sym, const uintptr_t *stk, size_t n)
{
	each_frame(t, sym, stk, n, symbol_lines);
}

void text_dump_frames(struct text_out *t, symbolizer *sym, const uintptr_t *stk, size_t n)
{
	each_frame(t, sym, stk, n, dump_frames);
}
