/*
 * preloadable.c — see preloadable.h. Reads the ELF header, the program
 * headers (a dynamically linked program has PT_INTERP) and the section
 * names (a Go program has .go.buildinfo).
 */
#include "preloadable.h"

#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The file execvp would run for name, into path; 0, or -1 when none. */
static int find_program(const char *name, char *path, size_t len)
{
	if (strchr(name, '/'))
		return snprintf(path, len, "%s", name) < (int)len ? 0 : -1;
	const char *dirs = getenv("PATH");
	if (dirs == NULL)
		dirs = "/bin:/usr/bin";
	for (const char *p = dirs; *p;) {
		size_t n = strcspn(p, ":");
		if (snprintf(path, len, "%.*s%s%s", (int)n, p, n ? "/" : "", name) < (int)len &&
		    access(path, X_OK) == 0)
			return 0;
		p += n + (p[n] == ':');
	}
	return -1;
}

static int read_at(int fd, void *buf, size_t len, off_t offset)
{
	return pread(fd, buf, len, offset) == (ssize_t)len ? 0 : -1;
}

static int has_interpreter(int fd, const Elf64_Ehdr *eh)
{
	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		if (read_at(fd, &ph, sizeof ph, (off_t)(eh->e_phoff + (Elf64_Off)i * eh->e_phentsize)) != 0)
			return 1;   /* unreadable: do not claim anything */
		if (ph.p_type == PT_INTERP)
			return 1;
	}
	return 0;
}

static int has_section(int fd, const Elf64_Ehdr *eh, const char *wanted)
{
	Elf64_Shdr names;
	if (eh->e_shstrndx == SHN_UNDEF ||
	    read_at(fd, &names, sizeof names, (off_t)(eh->e_shoff + (Elf64_Off)eh->e_shstrndx * eh->e_shentsize)) != 0)
		return 0;
	for (int i = 0; i < eh->e_shnum; i++) {
		Elf64_Shdr sh;
		char name[32] = "";
		if (read_at(fd, &sh, sizeof sh, (off_t)(eh->e_shoff + (Elf64_Off)i * eh->e_shentsize)) != 0)
			return 0;
		if (pread(fd, name, sizeof name - 1, (off_t)(names.sh_offset + sh.sh_name)) > 0 &&
		    strcmp(name, wanted) == 0)
			return 1;
	}
	return 0;
}

int program_is_preloadable(const char *name, char *why, size_t len)
{
	char path[PATH_MAX];
	Elf64_Ehdr eh;
	if (find_program(name, path, sizeof path) != 0)
		return 1;   /* execvp will say what is wrong */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	int ok = 1;
	if (read_at(fd, &eh, sizeof eh, 0) == 0 && memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64) {
		if (has_section(fd, &eh, ".go.buildinfo")) {
			snprintf(why, len,
			         "%s is a Go program: its memory does not come from malloc, and nothing of "
			         "it is profiled (use Go's runtime/pprof)", name);
			ok = 0;
		} else if (!has_interpreter(fd, &eh)) {
			snprintf(why, len,
			         "%s is statically linked: it loads no library, so the agent cannot be "
			         "loaded into it and it runs unprofiled", name);
			ok = 0;
		}
	}
	close(fd);
	return ok;
}
