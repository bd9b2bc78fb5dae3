/*
 * debuginfo.c — the local-only search for separate debug files
 * (see debuginfo.h). The build-ID search is libdwfl's own
 * dwfl_build_id_find_debuginfo, which never reaches debuginfod; the
 * .gnu_debuglink search is redone here with the standard's default path
 * ":.debug:/usr/lib/debug", checking build IDs instead of CRCs. The same
 * search, limited to the places beside the object, tells the symbolizer
 * whether an object ships its own debug file (sym_debug_file_beside).
 */
#include "debuginfo.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elfutils/libdwelf.h>

#include "private_fd.h"
#include "libdw_fns.h"

/* Whether the ELF file on fd has mod's build ID (true when mod has none). */
static int has_module_build_id(Dwfl_Module *mod, int fd)
{
	const unsigned char *want;
	GElf_Addr vaddr;
	int n = libdw->dwfl_module_build_id(mod, &want, &vaddr);
	if (n <= 0)
		return 1;
	Elf *elf = libdw->elf_begin(fd, ELF_C_READ_MMAP, NULL);
	const void *got = NULL;
	ssize_t len = elf ? libdw->dwelf_elf_gnu_build_id(elf, &got) : -1;
	int same = len == n && memcmp(got, want, (size_t)n) == 0;
	libdw->elf_end(elf);
	return same;
}

/* The places a .gnu_debuglink name is looked for: the first BESIDE are
 * beside the object itself, the last under the system debug directory. */
static const char *const places[] = { "%.*s/%s", "%.*s/.debug/%s", "/usr/lib/debug%.*s/%s" };
#define BESIDE 2
#define ALL_PLACES (sizeof places / sizeof places[0])

/* Opens the first of the first nplaces candidates that carries mod's build
 * ID, setting *found (malloc'd); -1 when none does. */
static int find_by_debuglink(Dwfl_Module *mod, const char *file_name, const char *debuglink,
                             size_t nplaces, char **found)
{
	const char *slash = file_name ? strrchr(file_name, '/') : NULL;
	if (debuglink == NULL || slash == NULL)
		return -1;
	int dirlen = (int)(slash - file_name);
	for (size_t i = 0; i < nplaces; i++) {
		char path[PATH_MAX];
		int len = snprintf(path, sizeof path, places[i], dirlen, file_name, debuglink);
		if (len < 0 || (size_t)len >= sizeof path || strcmp(path, file_name) == 0)
			continue;
		int fd = private_fd_open(path, O_RDONLY);
		if (fd < 0)
			continue;
		if (has_module_build_id(mod, fd) && (*found = strdup(path)) != NULL)
			return fd;
		close(fd);
	}
	return -1;
}

int sym_find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
                       const char *file_name, const char *debuglink_file,
                       GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	int fd = private_fd_move(libdw->dwfl_build_id_find_debuginfo(
		mod, userdata, modname, base, file_name, debuglink_file, debuglink_crc,
		debuginfo_file_name));
	if (fd < 0)
		fd = find_by_debuglink(mod, file_name, debuglink_file, ALL_PLACES, debuginfo_file_name);
	return fd;
}

int sym_debug_file_beside(Dwfl_Module *mod, const char *file_name)
{
	GElf_Addr bias;
	GElf_Word crc;
	Elf *elf = libdw->dwfl_module_getelf(mod, &bias);
	const char *debuglink = elf ? libdw->dwelf_elf_gnu_debuglink(elf, &crc) : NULL;
	char *found = NULL;
	int fd = find_by_debuglink(mod, file_name, debuglink, BESIDE, &found);
	free(found);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}
