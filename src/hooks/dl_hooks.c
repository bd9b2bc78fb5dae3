/*
 * dl_hooks.c — dlclose: before a shared object is unloaded, its path and
 * load bias are recorded (unloaded_modules.h); the next snapshot hands them
 * to the symbolizer, which keeps their symbols, so that samples taken in the
 * library still get names after it is gone. The agent's own libraries
 * (libdw's) are closed with the guard raised and are not kept.
 */
#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "hooks.h"
#include "rates.h"
#include "unload_fence.h"
#include "unloaded_modules.h"

static int (*_Atomic next_dlclose)(void *);

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

AGENT_HOOK int dlclose(void *handle)
{
	int (*next)(void *) = atomic_load_explicit(&next_dlclose, memory_order_relaxed);
	if (unlikely(!next)) {
		next = (int (*)(void *))dlsym(RTLD_NEXT, "dlclose");
		atomic_store_explicit(&next_dlclose, next, memory_order_relaxed);
	}
	if (!agent_guard && profiling_started()) {
		struct link_map *map = NULL;
		char path[PATH_MAX];
		agent_enter();
		if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name &&
		    map->l_name[0] && object_path(handle, map->l_name, path, sizeof(path)) == 0)
			unloaded_module_add(path, (uint64_t)map->l_addr);
		agent_leave();
	}
	unload_fence_unload_begin();
	int rc = next(handle);
	unload_fence_unload_end();
	return rc;
}
