/*
 * object.c — opening one ELF object for the symbolizer (see
 * object.h): the load bias from the program headers, the
 * single-module Dwfl session, the build ID and whether line tables exist.
 * Opening reads only the ELF headers and notes; DWARF is loaded by libdw on
 * the first lookup.
 *
 * The bias is what dwfl_report_elf needs (with add_p_vaddr) and what
 * link_map.l_addr holds: for a /proc/self/maps line mapping file offset O at
 * address S inside a PT_LOAD segment (p_offset, p_vaddr),
 *   bias = S - O + p_offset - p_vaddr,
 * the same relation upstream pprof uses to relocate a binary (docs/profile-format.md).
 */
#include "object.h"

#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elfutils/libdw.h>

#include "debuginfo.h"

static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = sym_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

static uint64_t page_size(void)
{
	long n = sysconf(_SC_PAGESIZE);
	return n > 0 ? (uint64_t)n : 4096;
}

/* The PT_LOAD header whose file range holds offset (an executable one when
 * want_exec), or -1. */
static int find_load_segment(Elf *elf, uint64_t offset, int want_exec, GElf_Phdr *out)
{
	size_t n;
	if (elf_getphdrnum(elf, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(elf, (int)i, &ph) == NULL || ph.p_type != PT_LOAD)
			continue;
		if (want_exec && !(ph.p_flags & PF_X))
			continue;
		uint64_t first = ph.p_offset & ~(page_size() - 1);
		if (offset >= first && offset < ph.p_offset + ph.p_filesz) {
			*out = ph;
			return 0;
		}
	}
	return -1;
}

static int bias_from_phdrs(Elf *elf, uint64_t start, uint64_t offset, uint64_t *bias)
{
	GElf_Ehdr eh;
	GElf_Phdr ph;
	if (gelf_getehdr(elf, &eh) == NULL)
		return -1;
	if (eh.e_type == ET_EXEC) {
		*bias = 0;
		return 0;
	}
	if (find_load_segment(elf, offset, 1, &ph) < 0 && find_load_segment(elf, offset, 0, &ph) < 0)
		return -1;
	*bias = start - offset + ph.p_offset - ph.p_vaddr;
	return 0;
}

static int is_line_section(Elf *elf, size_t shstrndx, Elf_Scn *scn)
{
	GElf_Shdr sh;
	if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type == SHT_NOBITS)
		return 0;
	const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
	return name != NULL && (strcmp(name, ".debug_line") == 0 || strcmp(name, ".zdebug_line") == 0);
}

/* Looks for the line tables without reading them: finding the DWARF file
 * (possibly a separate debug file) and its section headers is enough. */
static int module_has_debug_lines(Dwfl_Module *mod)
{
	Dwarf_Addr bias;
	Dwarf *dw = dwfl_module_getdwarf(mod, &bias);
	Elf *elf = dw ? dwarf_getelf(dw) : NULL;
	size_t shstrndx;
	if (elf == NULL || elf_getshdrstrndx(elf, &shstrndx) != 0)
		return 0;
	for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn != NULL; scn = elf_nextscn(elf, scn))
		if (is_line_section(elf, shstrndx, scn))
			return 1;
	return 0;
}

static void read_build_id(struct sym_object *obj)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *bits;
	GElf_Addr vaddr;
	int n = dwfl_module_build_id(obj->mod, &bits, &vaddr);
	obj->build_id[0] = '\0';
	if (n <= 0 || n > SYM_BUILD_ID_MAX)
		return;
	for (int i = 0; i < n; i++) {
		obj->build_id[2 * i] = hex[bits[i] >> 4];
		obj->build_id[2 * i + 1] = hex[bits[i] & 15];
	}
	obj->build_id[2 * n] = '\0';
}

/* Reports the file open on fd (consumed) at bias into a new session. */
static struct sym_object *open_reported(const char *path, const char *open_path, int fd,
                                        uint64_t bias)
{
	struct sym_object *obj = calloc(1, sizeof *obj);
	if (obj == NULL || (obj->path = strdup(path)) == NULL ||
	    (obj->dwfl = dwfl_begin(&callbacks)) == NULL)
		goto fail;
	obj->mod = dwfl_report_elf(obj->dwfl, path, open_path, fd, bias, true);
	if (obj->mod == NULL)
		goto fail;
	fd = -1;
	dwfl_report_end(obj->dwfl, NULL, NULL);
	obj->bias = bias;
	read_build_id(obj);
	obj->has_debug_lines = -1;
	return obj;
fail:
	if (fd >= 0)
		close(fd);
	sym_object_close(obj);
	return NULL;
}

/* An fd on path and its bias for the segment (start, offset), or -1. */
static int open_with_bias(const char *path, uint64_t start, uint64_t offset, uint64_t *bias)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	int rc = elf ? bias_from_phdrs(elf, start, offset, bias) : -1;
	elf_end(elf);
	if (rc < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

struct sym_object *sym_object_open_mapped(const char *path, const char *open_path,
                                          uint64_t start, uint64_t offset)
{
	uint64_t bias;
	elf_version(EV_CURRENT);
	int fd = open_with_bias(open_path, start, offset, &bias);
	return fd < 0 ? NULL : open_reported(path, open_path, fd, bias);
}

struct sym_object *sym_object_open_biased(const char *path, uint64_t bias)
{
	elf_version(EV_CURRENT);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? NULL : open_reported(path, path, fd, bias);
}

int sym_object_matches(struct sym_object *obj, uint64_t start, uint64_t offset)
{
	GElf_Addr b;
	Elf *elf = dwfl_module_getelf(obj->mod, &b);
	uint64_t bias;
	return elf != NULL && bias_from_phdrs(elf, start, offset, &bias) == 0 && bias == obj->bias;
}

size_t sym_object_exec_segments(struct sym_object *obj, struct sym_object_segment *out,
                                size_t max)
{
	GElf_Addr b;
	Elf *elf = dwfl_module_getelf(obj->mod, &b);
	size_t n, k = 0;
	if (elf == NULL || elf_getphdrnum(elf, &n) != 0)
		return 0;
	uint64_t mask = page_size() - 1;
	for (size_t i = 0; i < n && k < max; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(elf, (int)i, &ph) == NULL || ph.p_type != PT_LOAD ||
		    !(ph.p_flags & PF_X))
			continue;
		uint64_t addr = obj->bias + ph.p_vaddr;
		out[k].start = addr & ~mask;
		out[k].limit = (addr + ph.p_memsz + mask) & ~mask;
		out[k].offset = ph.p_offset & ~mask;
		k++;
	}
	return k;
}

int sym_object_has_debug_lines(struct sym_object *obj)
{
	if (obj->has_debug_lines < 0)
		obj->has_debug_lines = module_has_debug_lines(obj->mod);
	return obj->has_debug_lines;
}

void sym_object_close(struct sym_object *obj)
{
	if (obj == NULL)
		return;
	if (obj->dwfl != NULL)
		dwfl_end(obj->dwfl);
	free(obj->path);
	free(obj);
}
