/*
 * threads_kind.c — the threads kind: one sample per live thread (Go's
 * goroutine profile), with labels thread_name, tid and state, its rows
 * taken at the moment from thread_stacks.h. A thread without a stack (one
 * running in user space) shows the single pseudo-frame <unknown>.
 */
#include <stdlib.h>

#include "buckets.h"
#include "kind_values.h"
#include "profile_builder.h"
#include "rates.h"
#include "thread_stacks.h"

#define THREAD_LABELS 3

struct threads_taken {
	struct thread_list list;
	struct row *rows;
	struct profile_label (*labels)[THREAD_LABELS];
};

static const uintptr_t no_stack[1] = { BUCKET_UNKNOWN_PC };

int threads_written(void)
{
	return atomic_load(&threads_on);
}

static void thread_row(const struct thread_sample *s, struct row *r,
                       struct profile_label labels[THREAD_LABELS])
{
	labels[0] = (struct profile_label){ .key = "thread_name", .str = s->name };
	labels[1] = (struct profile_label){ .key = "tid", .num = s->tid };
	labels[2] = (struct profile_label){ .key = "state", .str = s->state };
	*r = (struct row){
		.stk = s->nstk ? s->stk : no_stack,
		.nstk = s->nstk ? s->nstk : 1,
		.values = { 1 },
		.labels = labels,
		.nlabels = THREAD_LABELS,
	};
}

void *threads_take_rows(struct row **rows, size_t *n)
{
	struct threads_taken *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	if (thread_stacks_take(&t->list, (size_t)atomic_load(&stack_depth)) != 0)
		goto fail;
	size_t count = t->list.n ? t->list.n : 1;
	t->rows = calloc(count, sizeof *t->rows);
	t->labels = calloc(count, sizeof *t->labels);
	if (!t->rows || !t->labels)
		goto fail;
	for (size_t i = 0; i < t->list.n; i++)
		thread_row(&t->list.v[i], &t->rows[i], t->labels[i]);
	*rows = t->rows;
	*n = t->list.n;
	return t;
fail:
	threads_release_rows(t);
	return NULL;
}

void threads_release_rows(void *taken)
{
	struct threads_taken *t = taken;
	if (!t)
		return;
	thread_list_free(&t->list);
	free(t->rows);
	free(t->labels);
	free(t);
}
