/*
 * text_forms.c — Go's text forms: the kind's writer, then the memory map;
 * and the threads' stacks (see text_forms.h).
 */
#include "text_forms.h"

#include <errno.h>
#include <stdlib.h>

struct form {
	enum profile_kind kind;
	int debug;   /* 0: the threads' stacks */
	int self_only;
};

/* Writes form through a text_out of its own (8 KiB, not on the stack). */
static int write_form(const struct form *f, symbolizer *sym, profile_output output, void *ctx)
{
	struct text_out *t = malloc(sizeof *t);
	if (!t) {
		errno = ENOMEM;
		return -1;
	}
	text_out_init(t, output, ctx);
	int rc = f->debug ? profile_kinds[f->kind].text(t, sym, f->kind, f->debug)
	                  : threads_dump(t, sym, f->self_only);
	int err = errno;
	if (rc == 0 && f->debug == 1)
		memory_map_text(t);
	if (text_out_finish(t) != 0) {
		rc = -1;
		err = errno;
	}
	free(t);
	errno = err;
	return rc;
}

int profile_text_write(enum profile_kind kind, int debug, symbolizer *sym, profile_output output,
                       void *ctx)
{
	const struct profile_kind_info *k = &profile_kinds[kind];
	if (!k->text || debug <= 0) {
		errno = EINVAL;
		return -1;
	}
	struct form f = { kind, debug > k->max_debug ? k->max_debug : debug, 0 };
	return write_form(&f, sym, output, ctx);
}

int profile_stacks_write(int self_only, symbolizer *sym, profile_output output, void *ctx)
{
	struct form f = { KIND_THREADS, 0, self_only };
	return write_form(&f, sym, output, ctx);
}
