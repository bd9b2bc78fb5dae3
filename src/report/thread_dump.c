/*
 * thread_dump.c — the threads kind at debug=2, and runtime.Stack's text:
 * one block per thread, as Go's goroutine dump writes one per goroutine
 * (see text_forms.h), blocks separated by a blank line, the calling
 * thread's first when it is listed:
 *     thread <tid> "<name>" [<state>]:
 *     <function>(...)
 *     	<file>:<line> +0x<offset>
 * A thread running in user space has no stack taken (thread_stacks.h):
 *     thread <tid> "<name>" [running]:
 *     	stack unavailable: the thread is running and is never interrupted
 */
#include <stdatomic.h>
#include <unistd.h>

#include "rates.h"
#include "text_forms.h"
#include "text_frames.h"
#include "thread_stacks.h"

static void thread_block(struct text_out *t, symbolizer *sym, const struct thread_sample *s)
{
	text_printf(t, "thread %d ", s->tid);
	text_quoted(t, s->name);
	text_printf(t, " [%s]:\n", s->state);
	if (s->nstk == 0)
		text_printf(t, "\tstack unavailable: the thread is running and is never interrupted\n");
	text_dump_frames(t, sym, s->stk, s->nstk);
}

void thread_dump_text(struct text_out *t, symbolizer *sym, const struct thread_list *threads)
{
	int self = gettid(), blocks = 0;
	for (size_t i = 0; i < threads->n; i++)
		if (threads->v[i].tid == self) {
			thread_block(t, sym, &threads->v[i]);
			blocks++;
		}
	for (size_t i = 0; i < threads->n; i++) {
		if (threads->v[i].tid == self)
			continue;
		if (blocks++)
			text_put(t, "\n", 1);
		thread_block(t, sym, &threads->v[i]);
	}
}

int threads_dump(struct text_out *t, symbolizer *sym, int self_only)
{
	struct thread_list list = { 0 };
	size_t depth = (size_t)atomic_load(&stack_depth);
	int rc = self_only ? thread_stacks_take_self(&list, depth) : thread_stacks_take(&list, depth);
	if (rc == 0)
		thread_dump_text(t, sym, &list);
	thread_list_free(&list);
	return rc;
}

int threads_text(struct text_out *t, symbolizer *sym, enum profile_kind kind, int debug)
{
	return debug >= 2 ? threads_dump(t, sym, 0) : count_text(t, sym, kind, debug);
}
