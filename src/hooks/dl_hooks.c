/*
 * dl_hooks.c — dlclose: which objects a dlclose unloads, for the module
 * instance log (module_instances.h; docs/module-identity.md).
 *
 * Before the real dlclose, the object closed and every object loaded after
 * it (its dependencies among them: a dlclose unloads only objects of the
 * closed one's dependency tree) are listed as module instances, with their
 * names copied while the loader's lock is held. After it, those no longer
 * loaded where they were are marked unloaded, and the module era moves on,
 * so that stacks are tagged afresh where code ran in their place. The
 * agent's own libraries (libdw's) are closed with the guard raised and pass
 * straight through.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "core_sys.h"
#include "hooks.h"
#include "module_instances.h"
#include "rates.h"
#include "unload_fence.h"

#define WATCHED_MAX 16       /* objects watched per dlclose */
#define WATCHED_NAMES 2048   /* bytes for their names */

typedef int (*dlclose_fn)(void *);

struct watched_object {
	const char *name;        /* in the names buffer */
	uint64_t bias;
	uintptr_t start, limit;
	const struct module_instance *instance;
};

struct unload_watch {
	const struct link_map *closed;   /* the object dlclose was given */
	int seen_closed;
	struct watched_object objects[WATCHED_MAX];
	size_t n, names_used;
	char names[WATCHED_NAMES];
};

/* The absolute path of a loaded object: l_name as given to dlopen when it
 * is absolute, else the object's origin directory (RTLD_DI_ORIGIN) and the
 * name's last component. Returns 0 or -1. */
static int object_path(void *handle, const char *name, char *out, size_t len)
{
	char origin[PATH_MAX];
	if (name[0] == '/')
		return snprintf(out, len, "%s", name) < (int)len ? 0 : -1;
	if (dlinfo(handle, RTLD_DI_ORIGIN, origin) != 0)
		return -1;
	const char *base = strrchr(name, '/');
	return snprintf(out, len, "%s/%s", origin, base ? base + 1 : name) < (int)len ? 0 : -1;
}

/* The addresses an object spans, from its PT_LOAD headers. */
static void object_span(const struct dl_phdr_info *info, uintptr_t *start, uintptr_t *limit)
{
	*start = UINTPTR_MAX;
	*limit = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
		*start = lo < *start ? lo : *start;
		*limit = hi > *limit ? hi : *limit;
	}
}

/* dl_iterate_phdr callback (the loader's lock is held): notes the closed
 * object and every one after it, names copied. */
static int note_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct unload_watch *w = arg;
	(void)size;
	if (info->dlpi_name == w->closed->l_name && info->dlpi_addr == w->closed->l_addr)
		w->seen_closed = 1;
	if (!w->seen_closed || info->dlpi_name == NULL || info->dlpi_name[0] == '\0')
		return 0;
	size_t len = strlen(info->dlpi_name) + 1;
	if (w->n == WATCHED_MAX || len > WATCHED_NAMES - w->names_used)
		return 0;
	struct watched_object *o = &w->objects[w->n++];
	o->name = memcpy(w->names + w->names_used, info->dlpi_name, len);
	w->names_used += len;
	o->bias = info->dlpi_addr;
	object_span(info, &o->start, &o->limit);
	o->instance = NULL;
	return 0;
}

static void watch_before(struct unload_watch *w, void *handle)
{
	struct link_map *map = NULL;
	char path[PATH_MAX];
	w->n = w->names_used = 0;
	w->seen_closed = 0;
	if (dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || !map || !map->l_name || !map->l_name[0])
		return;
	w->closed = map;
	dl_iterate_phdr(note_object, w);
	for (size_t i = 0; i < w->n; i++) {
		struct watched_object *o = &w->objects[i];
		const char *file = o->name;
		if (i == 0 && object_path(handle, o->name, path, sizeof path) == 0)
			file = path;
		o->instance = module_instance_get(o->name, file, o->bias, o->start, o->limit);
	}
}

/* Marks the watched objects that are no longer loaded where they were;
 * returns how many. */
static int watch_after(const struct unload_watch *w)
{
	int gone = 0;
	for (size_t i = 0; i < w->n; i++) {
		const struct watched_object *o = &w->objects[i];
		struct loaded_object now;
		if (o->instance == NULL || o->start >= o->limit)
			continue;
		if (core_sys.object_at(o->start, &now) == 0 && now.bias == o->bias &&
		    strcmp(now.name, o->instance->name) == 0)
			continue;
		module_instance_unloaded(o->instance);
		gone++;
	}
	return gone;
}

/* The real dlclose, while no stack that is not its thread's own is being
 * walked (unload_fence.h). */
static int unload_fenced(int (*next)(void *), void *handle)
{
	unload_fence_unload_begin();
	int rc = next(handle);
	int saved = errno;
	unload_fence_unload_end();
	errno = saved;
	return rc;
}

AGENT_HOOK int dlclose(void *handle)
{
	NEXT_OF(dlclose_fn, "dlclose");
	struct unload_watch w;
	if (agent_guard || !profiling_started())
		return unload_fenced(next, handle);
	agent_enter();
	module_unload_begin();
	watch_before(&w, handle);
	agent_leave();
	int rc = unload_fenced(next, handle);
	int saved = errno;
	agent_enter();
	module_unload_end(watch_after(&w) > 0);
	agent_leave();
	errno = saved;
	return rc;
}
