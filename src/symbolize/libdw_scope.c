/*
 * libdw_scope.c — pprof-agent-libdw.so, the object through which the agent
 * loads libdw (libdw_fns.c). It needs libdw and defines the allocation
 * functions, nothing else.
 *
 * The agent loads it with RTLD_DEEPBIND: it and its dependencies (libdw,
 * libelf, libz, liblzma, libbz2, the C library) then form the list where
 * each of them resolves its references first, so libdw's call to elf_begin
 * reaches libelf's and libelf's call to inflate reaches libz's, whatever
 * the program defines under those names.
 *
 * In that list malloc would be the C library's own, while the functions of
 * the C library that allocate for libdw (strdup, strndup, realpath,
 * getdelim, asprintf) allocate from the process's allocator, which is
 * jemalloc or tcmalloc when the program uses one; libdw frees what they
 * return, and the C library's free aborts on a pointer of another
 * allocator. So this object, first in the list, defines malloc, calloc,
 * realloc, free and posix_memalign (all that libdw, libelf, libz, liblzma
 * and libbz2 call) and passes each call to the process's own definition,
 * the one the program's global scope resolves: every byte libdw holds comes
 * from the one allocator the rest of the process uses.
 */
#include <dlfcn.h>
#include <stddef.h>
#include <elfutils/libdwfl.h>

#define EXPORT __attribute__((visibility("default")))

static struct {
	void *(*malloc)(size_t);
	void *(*calloc)(size_t, size_t);
	void *(*realloc)(void *, size_t);
	void (*free)(void *);
	int (*posix_memalign)(void **, size_t, size_t);
} process;

/* Looks the definitions up in the main program's list, which is the
 * program's global scope (libraries loaded RTLD_GLOBAL join it). Resolving
 * takes no allocation of ours: the dynamic linker allocates with the
 * process's malloc, never through this object. */
static void resolve(void)
{
	void *global = dlopen(NULL, RTLD_LAZY);
	*(void **)&process.malloc = dlsym(global, "malloc");
	*(void **)&process.calloc = dlsym(global, "calloc");
	*(void **)&process.realloc = dlsym(global, "realloc");
	*(void **)&process.posix_memalign = dlsym(global, "posix_memalign");
	*(void **)&process.free = dlsym(global, "free");
}

/* Resolved while the agent loads this object, in its constructor, so that
 * no later call has to: a dlopen, even of NULL, in a forked child whose
 * parent was loading a library in another thread at the fork stops the
 * child (the loader's list is marked as being changed). A call before this
 * constructor (from a dependency's) resolves on the spot. */
__attribute__((constructor)) static void resolve_at_load(void)
{
	resolve();
}

#define PROCESS(fn) (process.fn != NULL ? process.fn : (resolve(), process.fn))

/* The version of the libdw in this scope, for the agent's verbose line. It
 * is also what keeps libdw among this object's NEEDED entries where the
 * linker drops libraries nothing refers to (--as-needed). */
EXPORT const char *pprof_agent_libdw_version(void)
{
	return dwfl_version(NULL);
}

EXPORT void *malloc(size_t size)
{
	return PROCESS(malloc)(size);
}

EXPORT void *calloc(size_t n, size_t size)
{
	return PROCESS(calloc)(n, size);
}

EXPORT void *realloc(void *p, size_t size)
{
	return PROCESS(realloc)(p, size);
}

EXPORT void free(void *p)
{
	PROCESS(free)(p);
}

EXPORT int posix_memalign(void **p, size_t align, size_t size)
{
	return PROCESS(posix_memalign)(p, align, size);
}
