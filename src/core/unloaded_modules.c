/*
 * unloaded_modules.c — the lock-free list of unloaded modules (see
 * unloaded_modules.h).
 */
#include "unloaded_modules.h"

#include <stdatomic.h>
#include <string.h>

#include "arena.h"

static const struct unloaded_module *_Atomic newest;

static int already_listed(const char *path, uint64_t load_bias)
{
	const struct unloaded_module *m = unloaded_modules_newest();
	for (; m != NULL; m = m->next)
		if (m->load_bias == load_bias && strcmp(m->path, path) == 0)
			return 1;
	return 0;
}

int unloaded_module_add(const char *path, uint64_t load_bias)
{
	if (already_listed(path, load_bias))
		return 0;
	size_t len = strlen(path) + 1;
	struct unloaded_module *m = arena_alloc(sizeof *m + len);
	if (m == NULL)
		return -1;
	m->load_bias = load_bias;
	memcpy(m->path, path, len);
	const struct unloaded_module *head = atomic_load_explicit(&newest, memory_order_relaxed);
	do
		m->next = head;
	while (!atomic_compare_exchange_weak_explicit(&newest, &head, m, memory_order_release,
	                                              memory_order_relaxed));
	return 0;
}

const struct unloaded_module *unloaded_modules_newest(void)
{
	return atomic_load_explicit(&newest, memory_order_acquire);
}
