/*
 * object.c — one ELF object for the symbolizer (see object.h): its program
 * headers, bias and build ID read once with libelf, and its libdw session,
 * opened when a PC needs it and closed at the end of the snapshot.
 *
 * The bias is what dwfl_report_elf needs (with add_p_vaddr) and what
 * link_map.l_addr holds: for a /proc/self/maps line mapping file offset O at
 * address S inside a PT_LOAD segment (p_offset, p_vaddr),
 *   bias = S - O + p_offset - p_vaddr,
 * the same relation pprof uses to relocate a binary (docs/profile-format.md).
 */
#include "object.h"

#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>

#include "debuginfo.h"
#include "private_fd.h"
#include "libdw_fns.h"

/* The sessions' callbacks: libdwfl's own, from the table, and the
 * symbolizer's search for debug files. */
static const Dwfl_Callbacks *session_callbacks(void)
{
	static Dwfl_Callbacks callbacks;
	callbacks.find_elf = libdw->dwfl_linux_proc_find_elf;
	callbacks.find_debuginfo = sym_find_debuginfo;
	callbacks.section_address = libdw->dwfl_offline_section_address;
	return &callbacks;
}

static uint64_t page_size(void)
{
	long n = sysconf(_SC_PAGESIZE);
	return n > 0 ? (uint64_t)n : 4096;
}

/* The PT_LOAD header whose file range holds offset (an executable one when
 * want_exec), or NULL. */
static const struct sym_load *find_load(const struct sym_object *obj, uint64_t offset,
                                        int want_exec)
{
	for (size_t i = 0; i < obj->nloads; i++) {
		const struct sym_load *l = &obj->loads[i];
		uint64_t first = l->offset & ~(page_size() - 1);
		if ((!want_exec || l->exec) && offset >= first && offset < l->offset + l->filesz)
			return l;
	}
	return NULL;
}

static int bias_for(const struct sym_object *obj, uint64_t start, uint64_t offset,
                    uint64_t *bias)
{
	if (obj->fixed) {
		*bias = 0;
		return 0;
	}
	const struct sym_load *l = find_load(obj, offset, 1);
	if (l == NULL && (l = find_load(obj, offset, 0)) == NULL)
		return -1;
	*bias = start - offset + l->offset - l->vaddr;
	return 0;
}

static void read_build_id(struct sym_object *obj, Elf *elf)
{
	static const char hex[] = "0123456789abcdef";
	const void *id;
	ssize_t n = libdw->dwelf_elf_gnu_build_id(elf, &id);
	obj->build_id[0] = '\0';
	if (n <= 0 || n > SYM_BUILD_ID_MAX)
		return;
	const unsigned char *bits = id;
	for (ssize_t i = 0; i < n; i++) {
		obj->build_id[2 * i] = hex[bits[i] >> 4];
		obj->build_id[2 * i + 1] = hex[bits[i] & 15];
	}
	obj->build_id[2 * n] = '\0';
}

/* Whether elf has a section .debug_<kind> or .zdebug_<kind> with contents
 * in the file (the headers are enough; nothing is read or inflated). */
static int has_debug_section(Elf *elf, const char *kind)
{
	size_t shstrndx;
	if (elf == NULL || libdw->elf_getshdrstrndx(elf, &shstrndx) != 0)
		return 0;
	for (Elf_Scn *scn = libdw->elf_nextscn(elf, NULL); scn != NULL;
	     scn = libdw->elf_nextscn(elf, scn)) {
		GElf_Shdr sh;
		if (libdw->gelf_getshdr(scn, &sh) == NULL || sh.sh_type == SHT_NOBITS)
			continue;
		const char *name = libdw->elf_strptr(elf, shstrndx, sh.sh_name);
		if (name == NULL)
			continue;
		if (strncmp(name, ".zdebug_", 8) == 0)
			name += 8;
		else if (strncmp(name, ".debug_", 7) == 0)
			name += 7;
		else
			continue;
		if (strcmp(name, kind) == 0)
			return 1;
	}
	return 0;
}

/* Fills the headers, build ID and own_dwarf from the ELF file on fd. */
static int read_headers(struct sym_object *obj, int fd)
{
	Elf *elf = libdw->elf_begin(fd, ELF_C_READ_MMAP, NULL);
	GElf_Ehdr eh;
	size_t n;
	int rc = -1;
	if (elf == NULL || libdw->gelf_getehdr(elf, &eh) == NULL || libdw->elf_getphdrnum(elf, &n) != 0)
		goto out;
	obj->fixed = eh.e_type == ET_EXEC;
	for (size_t i = 0; i < n && obj->nloads < SYM_MAX_LOADS; i++) {
		GElf_Phdr ph;
		if (libdw->gelf_getphdr(elf, (int)i, &ph) == NULL || ph.p_type != PT_LOAD)
			continue;
		obj->loads[obj->nloads++] = (struct sym_load){
			ph.p_offset, ph.p_vaddr, ph.p_filesz, ph.p_memsz, (ph.p_flags & PF_X) != 0,
		};
	}
	read_build_id(obj, elf);
	obj->own_dwarf = has_debug_section(elf, "info");
	rc = 0;
out:
	libdw->elf_end(elf);
	return rc;
}

static struct sym_object *read_object(const char *path, const char *open_path)
{
	if (libdw == NULL)
		return NULL;
	int fd = private_fd_open(open_path, O_RDONLY);
	if (fd < 0)
		return NULL;
	struct sym_object *obj = calloc(1, sizeof *obj);
	if (obj == NULL || (obj->path = strdup(path)) == NULL ||
	    (obj->open_path = strdup(open_path)) == NULL || read_headers(obj, fd) != 0) {
		close(fd);
		sym_object_close(obj);
		return NULL;
	}
	close(fd);
	obj->uses_dwarf = -1;
	obj->has_debug_lines = -1;
	return obj;
}

struct sym_object *sym_object_open_mapped(const char *path, const char *open_path,
                                          uint64_t start, uint64_t offset)
{
	struct sym_object *obj = read_object(path, open_path);
	if (obj != NULL && bias_for(obj, start, offset, &obj->bias) != 0) {
		sym_object_close(obj);
		return NULL;
	}
	return obj;
}

struct sym_object *sym_object_open_biased(const char *path, uint64_t bias)
{
	struct sym_object *obj = read_object(path, path);
	if (obj != NULL)
		obj->bias = bias;
	return obj;
}

int sym_object_matches(const struct sym_object *obj, uint64_t start, uint64_t offset)
{
	uint64_t bias;
	return bias_for(obj, start, offset, &bias) == 0 && bias == obj->bias;
}

size_t sym_object_exec_segments(const struct sym_object *obj, struct sym_object_segment *out,
                                size_t max)
{
	uint64_t mask = page_size() - 1;
	size_t k = 0;
	for (size_t i = 0; i < obj->nloads && k < max; i++) {
		const struct sym_load *l = &obj->loads[i];
		if (!l->exec)
			continue;
		uint64_t addr = obj->bias + l->vaddr;
		out[k].start = addr & ~mask;
		out[k].limit = (addr + l->memsz + mask) & ~mask;
		out[k].offset = l->offset & ~mask;
		k++;
	}
	return k;
}

Dwfl_Module *sym_object_module(struct sym_object *obj)
{
	if (obj->mod != NULL)
		return obj->mod;
	int fd = private_fd_open(obj->open_path, O_RDONLY);
	if (fd < 0)
		return NULL;
	obj->dwfl = libdw->dwfl_begin(session_callbacks());
	if (obj->dwfl == NULL) {
		close(fd);
		return NULL;
	}
	/* The session owns fd from here on, and closes it at dwfl_end. */
	obj->mod = libdw->dwfl_report_elf(obj->dwfl, obj->path, obj->open_path, fd, obj->bias, true);
	libdw->dwfl_report_end(obj->dwfl, NULL, NULL);
	if (obj->mod == NULL)
		sym_object_suspend(obj);
	return obj->mod;
}

/* Looks for the line tables without reading them: finding the DWARF file
 * (possibly a separate debug file) and its section headers is enough. */
static int module_has_debug_lines(Dwfl_Module *mod)
{
	Dwarf_Addr bias;
	Dwarf *dw = mod ? libdw->dwfl_module_getdwarf(mod, &bias) : NULL;
	return dw != NULL && has_debug_section(libdw->dwarf_getelf(dw), "line");
}

int sym_object_uses_dwarf(struct sym_object *obj)
{
	if (obj->uses_dwarf >= 0)
		return obj->uses_dwarf;
	Dwfl_Module *mod = sym_object_module(obj);
	if (mod == NULL)
		return 0;
	obj->uses_dwarf = obj->own_dwarf || obj->main_program ||
	                  sym_debug_file_beside(mod, obj->open_path);
	return obj->uses_dwarf;
}

int sym_object_has_debug_lines(struct sym_object *obj)
{
	if (obj->has_debug_lines < 0)
		obj->has_debug_lines = sym_object_uses_dwarf(obj) &&
		                       module_has_debug_lines(sym_object_module(obj));
	return obj->has_debug_lines;
}

void sym_object_suspend(struct sym_object *obj)
{
	sym_cu_indexes_free(&obj->cu_indexes);
	sym_die_tree_free(&obj->die_tree);
	sym_symbol_index_free(&obj->symbols);
	if (obj->dwfl != NULL)
		libdw->dwfl_end(obj->dwfl);
	obj->dwfl = NULL;
	obj->mod = NULL;
}

void sym_object_close(struct sym_object *obj)
{
	if (obj == NULL)
		return;
	sym_object_suspend(obj);
	free(obj->path);
	free(obj->open_path);
	free(obj);
}
