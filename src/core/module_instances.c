/*
 * module_instances.c — the lock-free log of module instances and the
 * module era (see module_instances.h).
 */
#include "module_instances.h"

#include <string.h>

#include "arena.h"

static const struct module_instance *_Atomic newest;
static atomic_uint last_index;
static atomic_uint_least64_t unload_order;
static atomic_uintptr_t reused_lo = UINTPTR_MAX, reused_hi;
static atomic_uint_least64_t era;

static const struct module_instance *find_from(const struct module_instance *m, const char *name,
                                               uint64_t load_bias)
{
	for (; m != NULL; m = m->next)
		if (m->load_bias == load_bias && strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

static struct module_instance *made(const char *name, const char *path, uint64_t load_bias,
                                    uintptr_t start, uintptr_t limit)
{
	size_t name_len = strlen(name) + 1;
	size_t path_len = strcmp(path, name) == 0 ? 0 : strlen(path) + 1;
	struct module_instance *m = arena_alloc(sizeof *m + name_len + path_len);
	if (m == NULL)
		return NULL;
	m->load_bias = load_bias;
	m->start = start;
	m->limit = limit;
	memcpy(m->name, name, name_len);
	m->path = m->name;
	if (path_len) {
		memcpy(m->name + name_len, path, path_len);
		m->path = m->name + name_len;
	}
	unsigned index = atomic_fetch_add_explicit(&last_index, 1, memory_order_relaxed) + 1;
	m->index = index <= MODULE_INSTANCE_MAX ? index : 0;
	return m;
}

const struct module_instance *module_instance_get(const char *name, const char *path,
                                                  uint64_t load_bias, uintptr_t start,
                                                  uintptr_t limit)
{
	const struct module_instance *head = module_instances_newest();
	const struct module_instance *found = find_from(head, name, load_bias);
	if (found != NULL)
		return found;
	struct module_instance *m = made(name, path, load_bias, start, limit);
	if (m == NULL)
		return NULL;
	/* Another thread may list the same instance meanwhile: look again at
	 * what it pushed before each try (ours is then left unused). */
	for (;;) {
		m->next = head;
		if (atomic_compare_exchange_weak_explicit(&newest, &head, m, memory_order_release,
		                                          memory_order_acquire))
			return m;
		for (const struct module_instance *e = head; e != m->next; e = e->next)
			if (e->load_bias == load_bias && strcmp(e->name, name) == 0)
				return e;
	}
}

static void lower_to(atomic_uintptr_t *bound, uintptr_t v)
{
	uintptr_t now = atomic_load_explicit(bound, memory_order_relaxed);
	while (v < now && !atomic_compare_exchange_weak_explicit(bound, &now, v, memory_order_release,
	                                                         memory_order_relaxed))
		;
}

static void raise_to(atomic_uintptr_t *bound, uintptr_t v)
{
	uintptr_t now = atomic_load_explicit(bound, memory_order_relaxed);
	while (v > now && !atomic_compare_exchange_weak_explicit(bound, &now, v, memory_order_release,
	                                                         memory_order_relaxed))
		;
}

void module_instance_unloaded(const struct module_instance *m)
{
	struct module_instance *w = (struct module_instance *)m;
	uint_least64_t never = 0;
	if (atomic_load_explicit(&w->unloaded, memory_order_acquire) != 0)
		return;
	uint_least64_t order = atomic_fetch_add_explicit(&unload_order, 1, memory_order_relaxed) + 1;
	if (!atomic_compare_exchange_strong_explicit(&w->unloaded, &never, order,
	                                             memory_order_release, memory_order_relaxed))
		return;
	lower_to(&reused_lo, m->start);
	raise_to(&reused_hi, m->limit);
}

void module_instance_note_tagged(const struct module_instance *m)
{
	struct module_instance *w = (struct module_instance *)m;
	if (!atomic_load_explicit(&w->tagged, memory_order_relaxed))
		atomic_store_explicit(&w->tagged, 1, memory_order_relaxed);
}

const struct module_instance *module_instances_newest(void)
{
	return atomic_load_explicit(&newest, memory_order_acquire);
}

const struct module_instance *module_instance_by_index(uint32_t i)
{
	for (const struct module_instance *m = module_instances_newest(); i && m; m = m->next)
		if (m->index == i)
			return m;
	return NULL;
}

const struct module_instance *module_instance_original_at(uintptr_t pc)
{
	const struct module_instance *first = NULL;
	uint_least64_t first_order = 0;
	for (const struct module_instance *m = module_instances_newest(); m; m = m->next) {
		uint_least64_t order = atomic_load_explicit(&m->unloaded, memory_order_acquire);
		if (order != 0 && pc >= m->start && pc < m->limit &&
		    (first == NULL || order < first_order)) {
			first = m;
			first_order = order;
		}
	}
	return first;
}

void module_reused_bounds(uintptr_t *lo, uintptr_t *hi)
{
	*lo = atomic_load_explicit(&reused_lo, memory_order_acquire);
	*hi = atomic_load_explicit(&reused_hi, memory_order_acquire);
}

uint64_t module_era_now(void)
{
	return atomic_load_explicit(&era, memory_order_acquire);
}

void module_unload_begin(void)
{
	atomic_fetch_add_explicit(&era, MODULE_ERA_BUSY_ONE, memory_order_acq_rel);
}

void module_unload_end(int unloaded_any)
{
	atomic_fetch_add_explicit(&era, (unloaded_any ? 1 : 0) - MODULE_ERA_BUSY_ONE,
	                          memory_order_acq_rel);
}
