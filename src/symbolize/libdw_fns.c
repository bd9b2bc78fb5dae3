/*
 * libdw_fns.c — loads libdw and libelf in a symbol scope of their own and
 * fills the table of libdw_fns.h (docs/isolation.md says why and what
 * remains shared).
 *
 * The agent dlopens pprof-agent-libdw.so (libdw_scope.c), found beside
 * its own file or where it is installed, with RTLD_LOCAL | RTLD_DEEPBIND:
 * that object needs libdw, which needs libelf, libz, liblzma, libbz2 and
 * the C library, and DEEPBIND makes each of them resolve its references in
 * that list before the program's global scope, so a host's elf_begin or
 * inflate never captures libdw's calls; RTLD_LOCAL keeps their names out of
 * the global scope; and each function of the table is looked up in the
 * handle's list only. The handle stays for the life of the process (a
 * forked child keeps it). The agent loads it from its constructor
 * (docs/isolation.md says why not at the first snapshot).
 *
 * Two cases load libdw.so.1 itself with RTLD_LOCAL and no DEEPBIND, its
 * references then resolved in the global scope first, as for any system
 * library (the agent's own calls still go through the table):
 *   - AddressSanitizer in the process: its dlopen interceptor refuses
 *     RTLD_DEEPBIND (a verbose line says so);
 *   - pprof-agent-libdw.so not found beside the agent, in the configured
 *     libdir, nor on the library path (a broken install): a line says so.
 * When libdw cannot be loaded at all, the table stays NULL and a line says
 * that functions are named from dynamic symbols only.
 */
#include "libdw_fns.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define LIBDW_SONAME "libdw.so.1"
#define SCOPE_NAME "pprof-agent-libdw.so"

const struct libdw_fns *libdw;
static struct libdw_fns loaded;
static int load_result = 1;  /* 1: not tried yet */
static char note[600];
static int note_verbose;  /* the note is for verbose=1 only */

static void set_note(int verbose, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_note(int verbose, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(note, sizeof note, fmt, ap);
	va_end(ap);
	note_verbose = verbose;
}

/* path gets SCOPE_NAME in the directory of the file holding this code (the
 * agent's library). */
static int scope_beside_agent(char *path, size_t len)
{
	Dl_info info;
	if (dladdr((void *)libdw_load, &info) == 0 || info.dli_fname == NULL)
		return -1;
	const char *slash = strrchr(info.dli_fname, '/');
	if (slash == NULL)
		return -1;
	int n = snprintf(path, len, "%.*s/%s", (int)(slash - info.dli_fname), info.dli_fname,
	                 SCOPE_NAME);
	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* SCOPE_NAME beside the agent's file, else in the directory it is installed
 * in (a program linked with libpprof-agent.a), else on the library path. */
static void *open_own_scope(void)
{
	const int mode = RTLD_LAZY | RTLD_LOCAL | RTLD_DEEPBIND;
	char path[PATH_MAX];
	void *h = NULL;
	if (scope_beside_agent(path, sizeof path) == 0)
		h = dlopen(path, mode);
	if (h == NULL)
		h = dlopen(PPROF_AGENT_LIBDIR "/" SCOPE_NAME, mode);
	if (h == NULL)
		h = dlopen(SCOPE_NAME, mode);
	return h;
}

static void *open_libdw(void)
{
	if (dlsym(RTLD_DEFAULT, "__asan_init") != NULL) {
		set_note(1, "AddressSanitizer in the process: " LIBDW_SONAME " loaded without a "
		         "symbol scope of its own (docs/isolation.md)");
		return dlopen(LIBDW_SONAME, RTLD_LAZY | RTLD_LOCAL);
	}
	void *h = open_own_scope();
	if (h == NULL) {
		set_note(0, SCOPE_NAME " not found beside the agent, in " PPROF_AGENT_LIBDIR
		         " nor on the library path (%s): "
		         LIBDW_SONAME " loaded in the program's symbol scope (docs/isolation.md)",
		         dlerror());
		return dlopen(LIBDW_SONAME, RTLD_LAZY | RTLD_LOCAL);
	}
	const char *(*version)(void) = (const char *(*)(void))dlsym(h, "pprof_agent_libdw_version");
	set_note(1, "libdw %s loaded in a symbol scope of its own", version ? version() : "?");
	return h;
}

#define LOOK_UP(name)                                            \
	if ((*(void **)&loaded.name = dlsym(handle, #name)) == NULL) \
		missing = #name;

static int load(void)
{
	const char *missing = NULL;
	void *handle = open_libdw();
	if (handle == NULL) {
		set_note(0, "cannot load " LIBDW_SONAME " (install the "
		         "Debian package libdw1): %s; functions are named from dynamic symbols only, "
		         "without files and lines", dlerror());
		return -1;
	}
	LIBDW_FUNCTIONS(LOOK_UP)
	if (missing != NULL) {
		set_note(0, LIBDW_SONAME " has no %s; functions are "
		         "named from dynamic symbols only, without files and lines", missing);
		dlclose(handle);
		return -1;
	}
	loaded.elf_version(EV_CURRENT);
	libdw = &loaded;
	return 0;
}

int libdw_load(void)
{
	if (load_result == 1)
		load_result = load();
	return load_result;
}

const char *libdw_load_note(int *verbose)
{
	*verbose = note_verbose;
	return note[0] ? note : NULL;
}
