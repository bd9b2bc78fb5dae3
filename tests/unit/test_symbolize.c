/*
 * test_symbolize.c — unit tests of the in-process symbolizer
 * (src/symbolize/): call-site lines in this program,
 * inline chains from an -O2 fixture, the mapping list and build IDs, libc
 * symbols (named without reading libc's separate DWARF), a dlopened library that is retained across dlclose, deleted files,
 * a separate debug file, bad PCs, C++ names (and their short form, checked
 * against what pprof's own demangler prints), the /proc/self/maps parser and
 * retained modules whose files are gone, and every function of one
 * compilation unit.
 * Check forks each test, so dlopen and mmap in one test do not leak into the
 * next.
 */
#include <check.h>
#include <dlfcn.h>
#include <elf.h>
#include <execinfo.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cxx_names.h"
#include "proc_maps.h"
#include "symbolize.h"
#include "run_suite.h"

#define MAX_FRAMES 16
#define DSO_NAME "symbolize_fixture_dso.so"

uint64_t symbolize_fixture_inline_run(int lines[3]);

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static symbolizer *refreshed_symbolizer(void)
{
	symbolizer *s = symbolizer_new();
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(symbolizer_refresh(s), 0);
	return s;
}

/* Its own return address minus one: a PC inside its caller's call. */
static __attribute__((noipa)) uint64_t return_pc(void)
{
	return (uint64_t)(uintptr_t)__builtin_return_address(0) - 1;
}

static __attribute__((noipa)) uint64_t call_site(int *line)
{
	uint64_t pc = return_pc(); *line = __LINE__;
	__asm__ volatile("" : "+r"(pc));
	return pc;
}

START_TEST(test_call_site_line)
{
	symbolizer *s = refreshed_symbolizer();
	int line;
	uint64_t pc = call_site(&line);
	struct sym_frame f[MAX_FRAMES];
	const struct sym_mapping *m = NULL;
	size_t n = symbolizer_lookup(s, pc, f, MAX_FRAMES, &m);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(f[0].function, "call_site");
	ck_assert_str_eq(f[0].system_name, "call_site");
	ck_assert_str_eq(base_name(f[0].file), "test_symbolize.c");
	ck_assert_int_eq(f[0].line, line);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->index, 0);
	ck_assert_int_eq(m->has_debug_lines, 1);

	struct sym_frame again[MAX_FRAMES];
	ck_assert_uint_eq(symbolizer_lookup(s, pc, again, MAX_FRAMES, &m), 1);
	ck_assert_ptr_eq(again[0].function, f[0].function);
	ck_assert_ptr_eq(again[0].file, f[0].file);
	ck_assert_uint_eq(symbolizer_lookup(s, pc, again, 0, &m), 0);
	symbolizer_free(s);
}
END_TEST

START_TEST(test_inline_chain)
{
	symbolizer *s = refreshed_symbolizer();
	int lines[3];
	uint64_t pc = symbolize_fixture_inline_run(lines);
	struct sym_frame f[MAX_FRAMES];
	const struct sym_mapping *m;
	size_t n = symbolizer_lookup(s, pc, f, MAX_FRAMES, &m);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(f[0].function, "fixture_inner");
	ck_assert_str_eq(f[1].function, "fixture_mid");
	ck_assert_str_eq(f[2].function, "symbolize_fixture_inline_run");
	for (int i = 0; i < 3; i++) {
		ck_assert_str_eq(base_name(f[i].file), "symbolize_fixture_inline.c");
		ck_assert_int_eq(f[i].line, lines[i]);
	}
	ck_assert_uint_eq(symbolizer_lookup(s, pc, f, 2, &m), 2);
	ck_assert_str_eq(f[0].function, "fixture_inner");
	symbolizer_free(s);
}
END_TEST

/* The main program's build ID from its PT_NOTE headers, read without libdw. */
static int main_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	char *out = data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)p;
			const unsigned char *desc = (const unsigned char *)(p + sizeof *nh +
			                                                    ((nh->n_namesz + 3) & ~3u));
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
			    memcmp(p + sizeof *nh, "GNU", 4) == 0) {
				for (unsigned j = 0; j < nh->n_descsz; j++)
					sprintf(out + 2 * j, "%02x", desc[j]);
				return 1;
			}
			p = (const char *)desc + ((nh->n_descsz + 3) & ~3u);
		}
	}
	return 1;  /* the first object is the main program: stop there */
}

static int find_mapping_path(const struct sym_mapping *maps, size_t n, const char *part)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(maps[i].path, part) != NULL)
			return (int)i;
	return -1;
}

START_TEST(test_mappings)
{
	symbolizer *s = refreshed_symbolizer();
	const struct sym_mapping *maps;
	size_t n = symbolizer_mappings(s, &maps);
	ck_assert_uint_gt(n, 1);
	ck_assert_msg(ends_with(maps[0].path, "test_symbolize"), "mapping 0 is %s", maps[0].path);
	char expected[256] = "";
	dl_iterate_phdr(main_build_id, expected);
	ck_assert_uint_gt(strlen(expected), 0);
	ck_assert_str_eq(maps[0].build_id, expected);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(maps[i].index, (int)i);
		ck_assert_uint_lt(maps[i].start, maps[i].limit);
		ck_assert_ptr_null(strstr(maps[i].path, "(deleted)"));
	}
	int libc = find_mapping_path(maps, n, "/libc.so");
	ck_assert_int_ge(libc, 0);
	ck_assert_uint_gt(strlen(maps[libc].build_id), 0);
	int vdso = find_mapping_path(maps, n, "[vdso]");
	if (vdso >= 0)
		ck_assert_str_eq(maps[vdso].build_id, "");
	symbolizer_free(s);
}
END_TEST

static int maps_mention(const char *text)
{
	struct proc_maps pm = { 0 };
	ck_assert_int_eq(proc_maps_read(&pm, "/proc/self/maps"), 0);
	int found = 0;
	for (size_t i = 0; i < pm.nsegs; i++)
		found |= strstr(pm.segs[i].path, text) != NULL;
	proc_maps_free(&pm);
	return found;
}

/* Also checks that looking for debug files never loaded libdebuginfod (see
 * src/symbolize/debuginfo.h). */
START_TEST(test_refresh_without_changes_keeps_mappings)
{
	symbolizer *s = refreshed_symbolizer();
	const struct sym_mapping *first, *second;
	size_t n1 = symbolizer_mappings(s, &first);
	void *heap = malloc(1 << 24);  /* a new anonymous, non-executable mapping */
	ck_assert_int_eq(symbolizer_refresh(s), 0);
	size_t n2 = symbolizer_mappings(s, &second);
	ck_assert_uint_eq(n1, n2);
	ck_assert_ptr_eq(first, second);
	ck_assert_int_eq(maps_mention("libdebuginfod"), 0);
	free(heap);
	symbolizer_free(s);
}
END_TEST

START_TEST(test_libc_function)
{
	symbolizer *s = refreshed_symbolizer();
	void *getpid_fn = dlsym(RTLD_DEFAULT, "getpid");
	ck_assert_ptr_nonnull(getpid_fn);
	struct sym_frame f[MAX_FRAMES];
	const struct sym_mapping *m;
	size_t n = symbolizer_lookup(s, (uint64_t)(uintptr_t)getpid_fn + 1, f, MAX_FRAMES, &m);
	ck_assert_uint_ge(n, 1);
	ck_assert_msg(strstr(f[n - 1].system_name, "getpid") != NULL, "got %s", f[n - 1].system_name);
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(strstr(m->path, "libc"));
	symbolizer_free(s);
}
END_TEST

/* Whether the debug file of the object with build ID id is installed in
 * the system debug directory. */
static int system_debug_file_installed(const char *id)
{
	char path[256];
	if (strlen(id) < 3)
		return 0;
	snprintf(path, sizeof path, "/usr/lib/debug/.build-id/%.2s/%s.debug", id, id + 2);
	return access(path, R_OK) == 0;
}

static int glibc_at_least(int major, int minor)
{
	int ma = 0, mi = 0;
	return sscanf(gnu_get_libc_version(), "%d.%d", &ma, &mi) == 2 &&
	       (ma > major || (ma == major && mi >= minor));
}

/* The libc frames under main (the C start-up code) are named from symbol
 * tables only, with no symbol version spelt into the name and no file:line,
 * also where libc's separate debug file is installed: its symbol table then
 * names even the static __libc_start_call_main (glibc 2.34 and later), but
 * its DWARF is not read. */
START_TEST(test_libc_frames_named_from_symbols)
{
	void *stack[64];
	int depth = backtrace(stack, 64);
	symbolizer *s = refreshed_symbolizer();
	int in_libc = 0, start_call_main = 0;
	const char *libc_build_id = "";
	for (int i = 1; i < depth; i++) {
		struct sym_frame f[MAX_FRAMES];
		const struct sym_mapping *m;
		size_t n = symbolizer_lookup(s, (uint64_t)(uintptr_t)stack[i] - 1, f, MAX_FRAMES, &m);
		if (m == NULL || strstr(m->path, "/libc.so") == NULL)
			continue;
		in_libc++;
		libc_build_id = m->build_id;
		ck_assert_uint_eq(n, 1);
		ck_assert_str_ne(f[0].function, "");
		ck_assert_msg(strchr(f[0].system_name, '@') == NULL, "got %s", f[0].system_name);
		ck_assert_str_eq(f[0].file, "");
		ck_assert_int_eq(f[0].line, 0);
		ck_assert_int_eq(m->has_debug_lines, 0);
		start_call_main |= strcmp(f[0].function, "__libc_start_call_main") == 0;
	}
	ck_assert_int_ge(in_libc, 1);
	if (system_debug_file_installed(libc_build_id) && glibc_at_least(2, 34))
		ck_assert_msg(start_call_main, "__libc_start_call_main not named");
	symbolizer_free(s);
}
END_TEST

struct dso_pcs {
	uint64_t call_pc, leaf_pc;
	int call_line;
};

/* dlopens path, records PCs in it and tells s to retain it. */
static void *open_fixture_dso(const char *path, symbolizer *s, struct dso_pcs *pcs)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(h != NULL, "dlopen: %s", dlerror());
	uint64_t (*call_pc)(int *) = (uint64_t (*)(int *))dlsym(h, "symbolize_fixture_dso_call_pc");
	void *leaf = dlsym(h, "symbolize_fixture_dso_leaf");
	ck_assert_ptr_nonnull(call_pc);
	ck_assert_ptr_nonnull(leaf);
	pcs->call_pc = call_pc(&pcs->call_line);
	pcs->leaf_pc = (uint64_t)(uintptr_t)leaf + 1;
	struct link_map *lm;
	ck_assert_int_eq(dlinfo(h, RTLD_DI_LINKMAP, &lm), 0);
	if (s != NULL)
		symbolizer_retain_module(s, lm->l_name, lm->l_addr);
	return h;
}

static void assert_dso_frame(symbolizer *s, uint64_t pc, const char *function, int line)
{
	struct sym_frame f[MAX_FRAMES];
	const struct sym_mapping *m;
	size_t n = symbolizer_lookup(s, pc, f, MAX_FRAMES, &m);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(f[0].function, function);
	ck_assert_str_eq(base_name(f[0].file), "symbolize_fixture_dso.c");
	if (line > 0)
		ck_assert_int_eq(f[0].line, line);
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(ends_with(m->path, DSO_NAME), "mapping %s", m->path);
	ck_assert_uint_gt(strlen(m->build_id), 0);
	ck_assert_int_eq(m->has_debug_lines, 1);
}

START_TEST(test_retained_module_after_dlclose)
{
	symbolizer *s = symbolizer_new(), *forgetful = symbolizer_new();
	struct dso_pcs pcs;
	void *h = open_fixture_dso(SYMBOLIZE_FIXTURE_DSO, s, &pcs);
	ck_assert_int_eq(symbolizer_refresh(s), 0);
	assert_dso_frame(s, pcs.call_pc, "symbolize_fixture_dso_call_pc", pcs.call_line);

	ck_assert_int_eq(dlclose(h), 0);
	ck_assert_int_eq(maps_mention(DSO_NAME), 0);
	ck_assert_int_eq(symbolizer_refresh(s), 0);
	assert_dso_frame(s, pcs.call_pc, "symbolize_fixture_dso_call_pc", pcs.call_line);
	assert_dso_frame(s, pcs.leaf_pc, "symbolize_fixture_dso_leaf", 0);
	const struct sym_mapping *maps;
	size_t n = symbolizer_mappings(s, &maps);
	ck_assert_int_ge(find_mapping_path(maps, n, DSO_NAME), 0);

	ck_assert_int_eq(symbolizer_refresh(forgetful), 0);
	struct sym_frame f[MAX_FRAMES];
	const struct sym_mapping *m;
	ck_assert_uint_eq(symbolizer_lookup(forgetful, pcs.leaf_pc, f, MAX_FRAMES, &m), 0);
	ck_assert_ptr_null(m);
	symbolizer_free(forgetful);
	symbolizer_free(s);
}
END_TEST

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0700);
	ck_assert_int_ge(in, 0);
	ck_assert_int_ge(out, 0);
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

START_TEST(test_deleted_file)
{
	char path[] = "/tmp/test_symbolize_XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(path));
	char file[sizeof path + sizeof DSO_NAME + 1];
	snprintf(file, sizeof file, "%s/%s", path, DSO_NAME);
	copy_file(SYMBOLIZE_FIXTURE_DSO, file);
	struct dso_pcs pcs;
	void *h = open_fixture_dso(file, NULL, &pcs);
	ck_assert_int_eq(unlink(file), 0);
	ck_assert_int_eq(rmdir(path), 0);

	symbolizer *s = refreshed_symbolizer();
	assert_dso_frame(s, pcs.call_pc, "symbolize_fixture_dso_call_pc", pcs.call_line);
	const struct sym_mapping *maps;
	size_t n = symbolizer_mappings(s, &maps);
	int i = find_mapping_path(maps, n, DSO_NAME);
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(maps[i].path, file);
	symbolizer_free(s);
	dlclose(h);
}
END_TEST

START_TEST(test_separate_debug_file)
{
	struct dso_pcs pcs;
	void *h = open_fixture_dso(SYMBOLIZE_FIXTURE_SPLIT_DSO, NULL, &pcs);
	symbolizer *s = refreshed_symbolizer();
	struct sym_frame f[MAX_FRAMES];
	const struct sym_mapping *m;
	ck_assert_uint_eq(symbolizer_lookup(s, pcs.call_pc, f, MAX_FRAMES, &m), 1);
	ck_assert_str_eq(f[0].function, "symbolize_fixture_dso_call_pc");
	ck_assert_str_eq(base_name(f[0].file), "symbolize_fixture_dso.c");
	ck_assert_int_eq(f[0].line, pcs.call_line);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->path, SYMBOLIZE_FIXTURE_SPLIT_DSO);
	ck_assert_int_eq(m->has_debug_lines, 1);
	symbolizer_free(s);
	dlclose(h);
}
END_TEST

START_TEST(test_pcs_outside_objects)
{
	symbolizer *s = refreshed_symbolizer();
	struct sym_frame f[MAX_FRAMES];
	const struct sym_mapping *m = (const struct sym_mapping *)1;
	ck_assert_uint_eq(symbolizer_lookup(s, 0x10, f, MAX_FRAMES, &m), 0);
	ck_assert_ptr_null(m);
	ck_assert_uint_eq(symbolizer_lookup(s, UINT64_MAX, f, MAX_FRAMES, &m), 0);
	ck_assert_ptr_null(m);

	char *anon = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(anon, MAP_FAILED);
	ck_assert_uint_eq(symbolizer_lookup(s, (uint64_t)(uintptr_t)anon + 100, f, MAX_FRAMES, &m), 0);
	ck_assert_ptr_null(m);

	uint64_t vdso = getauxval(AT_SYSINFO_EHDR);
	if (vdso != 0) {
		ck_assert_uint_eq(symbolizer_lookup(s, vdso + 1, f, MAX_FRAMES, &m), 0);
		ck_assert_ptr_nonnull(m);
		ck_assert_str_eq(m->path, "[vdso]");
	}
	munmap(anon, 65536);
	symbolizer_free(s);
}
END_TEST

START_TEST(test_lookup_before_refresh)
{
	symbolizer *s = symbolizer_new();
	int line;
	uint64_t pc = call_site(&line);
	struct sym_frame f[MAX_FRAMES];
	const struct sym_mapping *m;
	ck_assert_uint_eq(symbolizer_lookup(s, pc, f, MAX_FRAMES, &m), 0);
	ck_assert_ptr_null(m);
	ck_assert_int_eq(symbolizer_refresh(s), 0);
	ck_assert_uint_eq(symbolizer_lookup(s, pc, f, MAX_FRAMES, &m), 1);
	ck_assert_str_eq(f[0].function, "call_site");
	symbolizer_free(s);
}
END_TEST

static const char fake_maps[] =
	"00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/dbus-daemon\n"
	"00651000-00652000 r--p 00051000 08:02 173521      /usr/bin/dbus-daemon\n"
	"7f0000000000-7f0000001000 r-xp 00001000 08:02 1 /tmp/my lib.so (deleted)\n"
	"7f0000002000-7f0000003000 rwxp 00000000 00:00 0\n"
	"garbage line\n"
	"7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0                  [vdso]\n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0          [vsyscall]";

static void write_fake_maps(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(test_proc_maps_parser)
{
	char path[] = "/tmp/test_symbolize_maps_XXXXXX";
	close(mkstemp(path));
	write_fake_maps(path, fake_maps);
	struct proc_maps pm = { 0 }, again = { 0 };
	ck_assert_int_eq(proc_maps_read(&pm, path), 0);
	ck_assert_uint_eq(pm.nsegs, 5);
	ck_assert_str_eq(pm.segs[0].path, "/usr/bin/dbus-daemon");
	ck_assert_uint_eq(pm.segs[0].start, 0x400000);
	ck_assert_uint_eq(pm.segs[0].limit, 0x452000);
	ck_assert_str_eq(pm.segs[1].path, "/tmp/my lib.so");
	ck_assert_int_eq(pm.segs[1].deleted, 1);
	ck_assert_uint_eq(pm.segs[1].offset, 0x1000);
	ck_assert_str_eq(pm.segs[2].path, "");
	ck_assert_str_eq(pm.segs[3].path, "[vdso]");
	ck_assert_str_eq(pm.segs[4].path, "[vsyscall]");
	ck_assert_uint_eq(pm.segs[4].start, 0xffffffffff600000ULL);

	ck_assert_int_eq(proc_maps_read(&again, path), 0);
	ck_assert_int_eq(proc_maps_same(&pm, &again), 1);
	write_fake_maps(path, "00400000-00452000 r-xp 00000000 08:02 173521 /usr/bin/other\n");
	ck_assert_int_eq(proc_maps_read(&again, path), 0);
	ck_assert_int_eq(proc_maps_same(&pm, &again), 0);
	ck_assert_int_eq(proc_maps_read(&again, "/nonexistent/maps"), -1);
	ck_assert_uint_eq(again.nsegs, 0);
	unlink(path);
	proc_maps_free(&pm);
	proc_maps_free(&again);
}
END_TEST

/* Modules whose files are gone are asked to be kept again and again, as a
 * program that loads and unloads libraries keeps asking: lookups in live
 * objects are unaffected and the gone files are never listed. */
START_TEST(test_retained_modules_whose_files_are_gone)
{
	symbolizer *s = refreshed_symbolizer();
	int line;
	uint64_t pc = call_site(&line);
	struct sym_frame f[MAX_FRAMES];
	const struct sym_mapping *m;
	for (int i = 0; i < 2000; i++) {
		char path[64];
		snprintf(path, sizeof path, "/nonexistent/lib%d.so", i % 50);
		symbolizer_retain_module(s, path, (uint64_t)(i % 50) << 20);
		if (i % 10 == 0) {
			ck_assert_int_eq(symbolizer_refresh(s), 0);
			ck_assert_uint_eq(symbolizer_lookup(s, pc + (uint64_t)(i % 3), f, MAX_FRAMES, &m), 1);
		}
	}
	ck_assert_int_eq(symbolizer_refresh(s), 0);
	const struct sym_mapping *maps;
	size_t n = symbolizer_mappings(s, &maps);
	ck_assert_int_lt(find_mapping_path(maps, n, "/nonexistent/"), 0);
	ck_assert_uint_eq(symbolizer_lookup(s, pc, f, MAX_FRAMES, &m), 1);
	ck_assert_int_eq(f[0].line, line);
	symbolizer_free(s);
}
END_TEST

/* A C function carrying a C++ linker name, as a C++ compiler would emit. */
__attribute__((noipa)) int mangled_function(int x) __asm__("_ZN3foo3barEi");
__attribute__((noipa)) int mangled_function(int x)
{
	return x + 1;
}

/* mangled_function is named system_name "_ZN3foo3barEi" and function
 * `function`. */
static void assert_mangled_function_named(const char *function)
{
	symbolizer *s = refreshed_symbolizer();
	struct sym_frame f[MAX_FRAMES];
	const struct sym_mapping *m;
	uint64_t pc = (uint64_t)(uintptr_t)mangled_function + 1;
	ck_assert_uint_eq(symbolizer_lookup(s, pc, f, MAX_FRAMES, &m), 1);
	ck_assert_str_eq(f[0].system_name, "_ZN3foo3barEi");
	ck_assert_str_eq(f[0].function, function);
	symbolizer_free(s);
}

START_TEST(test_mangled_name_without_demangler)
{
	ck_assert_ptr_null(dlsym(RTLD_DEFAULT, "__cxa_demangle"));
	assert_mangled_function_named("_ZN3foo3barEi");
}
END_TEST

START_TEST(test_mangled_name_with_demangler)
{
	void *cxx = dlopen("libstdc++.so.6", RTLD_NOW | RTLD_GLOBAL);
	ck_assert_msg(cxx != NULL, "the C++ runtime cannot be loaded: %s", dlerror());
	assert_mangled_function_named("foo::bar");
}
END_TEST

/* Demangled names (as __cxa_demangle prints them) and their short form:
 * the right-hand sides are what pprof's demangler (github.com/ianlancetaylor
 * /demangle, default options) prints for the same mangled symbols. */
static const struct {
	const char *demangled, *short_name;
} short_names[] = {
	{ "std::vector<int, std::allocator<int> >::push_back(int const&)",
	  "std::vector::push_back" },
	{ "void std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>("
	  "__gnu_cxx::__normal_iterator<int*, std::vector<int, std::allocator<int> > >, int const&)",
	  "std::vector::_M_realloc_insert" },
	{ "operator new(unsigned long)", "operator new" },
	{ "operator new[](unsigned long)", "operator new[]" },
	{ "app::foo<int>(int)::{lambda()#1}::operator()() const",
	  "app::foo(int)::{lambda()#1}::operator()" },
	{ "main::{lambda()#1}::operator()() const::{lambda()#1}::operator()() const",
	  "main::{lambda()#1}::operator()() const::{lambda()#1}::operator()" },
	{ "app::foo()::{lambda(std::vector<int, std::allocator<int> > const&)#1}::operator()("
	  "std::vector<int, std::allocator<int> > const&) const",
	  "app::foo()::{lambda(std::vector const&)#1}::operator()" },
	{ "bool foo::operator< <int>(int)", "foo::operator<" },
	{ "void foo::operator<< <int>(int)", "foo::operator<<" },
	{ "foo::operator->()", "foo::operator->" },
	{ "foo::operator char const*()", "foo::operator char const*" },
	{ "foo::bar() const &", "foo::bar" },
	{ "foo::bar(...)", "foo::bar" },
	{ "foo::bar() [clone .cold]", "foo::bar" },
	{ "foo::bar() [clone .constprop.0] [clone .isra.0]", "foo::bar" },
	{ "void app::baz[abi:cxx11]<int>(int)", "app::baz[abi:cxx11]" },
	{ "(anonymous namespace)::Box::grow(int)", "(anonymous namespace)::Box::grow" },
	{ "app::foo<int>(int)::x", "app::foo(int)::x" },
	{ "std::_Sp_counted_ptr_inplace<std::__cxx11::basic_string<char, std::char_traits<char>, "
	  "std::allocator<char> >, std::allocator<void>, (__gnu_cxx::_Lock_policy)2>::_M_dispose()",
	  "std::_Sp_counted_ptr_inplace::_M_dispose" },
	{ "decltype (({parm#1}.begin)()) std::begin<std::vector<int, std::allocator<int> > >("
	  "std::vector<int, std::allocator<int> >&)",
	  "std::begin" },
	{ "A<((1)>(2))>::f()", "A::f" },
	{ "void foo::get<3>(int (&) [(3)+(1)])", "foo::get" },
	{ "vtable for std::basic_ios<char, std::char_traits<char> >", "vtable for std::basic_ios" },
	{ "non-virtual thunk to foo::bar(std::vector<int, std::allocator<int> >)",
	  "non-virtual thunk to foo::bar(std::vector)" },
	{ "main", "main" },
};

START_TEST(test_cxx_short_names)
{
	for (size_t i = 0; i < sizeof short_names / sizeof *short_names; i++) {
		char out[512];
		ck_assert_str_eq(cxx_short_name(short_names[i].demangled, CXX_DROP_PARAMS, out),
		                 short_names[i].short_name);
	}
	char out[128];
	/* as the scope of a local name: parameters and qualifiers kept */
	ck_assert_str_eq(cxx_short_name("app::Foo::bar() const", CXX_KEEP_PARAMS, out),
	                 "app::Foo::bar() const");
	ck_assert_str_eq(cxx_short_name("void app::foo<int>(int) [clone .cold]", CXX_KEEP_PARAMS, out),
	                 "app::foo(int)");
	/* text that does not parse is kept whole */
	ck_assert_str_eq(cxx_short_name("foo<bar(int)", CXX_DROP_PARAMS, out), "foo<bar(int)");
	ck_assert_str_eq(cxx_short_name("foo(int", CXX_DROP_PARAMS, out), "foo(int");
	/* DWARF names of classes and functions */
	ck_assert_str_eq(cxx_strip_template_args("vector<int, std::allocator<int> >", out), "vector");
	ck_assert_str_eq(cxx_strip_template_args("run_twice<app::first_user()::<lambda()> >", out),
	                 "run_twice");
	ck_assert_str_eq(cxx_strip_template_args("operator< <int>", out), "operator<");
	ck_assert_str_eq(cxx_strip_template_args("operator()", out), "operator()");
	ck_assert_str_eq(cxx_strip_template_args("operator->", out), "operator->");
	ck_assert_str_eq(cxx_strip_template_args("~vector", out), "~vector");
}
END_TEST

/* Test functions of this file, each looked up at its first instruction
 * (the line of its opening brace, which follows START_TEST's): one
 * compilation unit, whose scopes are indexed at the first lookup and
 * searched for the others. */
START_TEST(test_functions_of_one_unit)
{
	const TTest *tests[] = { test_call_site_line, test_inline_chain, test_mappings,
	                         test_libc_function, test_deleted_file, test_separate_debug_file,
	                         test_pcs_outside_objects, test_proc_maps_parser };
	symbolizer *s = refreshed_symbolizer();
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		char name[128];
		snprintf(name, sizeof name, "%s_fn", tests[i]->name);
		uint64_t entry = (uint64_t)(uintptr_t)tests[i]->fn;
		struct sym_frame f[MAX_FRAMES];
		const struct sym_mapping *m;
		size_t n = symbolizer_lookup(s, entry, f, MAX_FRAMES, &m);
		ck_assert_uint_ge(n, 1);
		ck_assert_str_eq(f[n - 1].function, name);
		ck_assert_str_eq(base_name(f[n - 1].file), "test_symbolize.c");
		ck_assert_int_eq(f[n - 1].line, tests[i]->line + 1);
	}
	symbolizer_free(s);
}
END_TEST

static Suite *symbolize_suite(void)
{
	Suite *suite = suite_create("symbolize");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_call_site_line);
	tcase_add_test(tc, test_inline_chain);
	tcase_add_test(tc, test_mappings);
	tcase_add_test(tc, test_refresh_without_changes_keeps_mappings);
	tcase_add_test(tc, test_libc_function);
	tcase_add_test(tc, test_libc_frames_named_from_symbols);
	tcase_add_test(tc, test_retained_module_after_dlclose);
	tcase_add_test(tc, test_deleted_file);
	tcase_add_test(tc, test_separate_debug_file);
	tcase_add_test(tc, test_pcs_outside_objects);
	tcase_add_test(tc, test_lookup_before_refresh);
	tcase_add_test(tc, test_proc_maps_parser);
	tcase_add_test(tc, test_retained_modules_whose_files_are_gone);
	tcase_add_test(tc, test_mangled_name_without_demangler);
	tcase_add_test(tc, test_mangled_name_with_demangler);
	tcase_add_test(tc, test_cxx_short_names);
	tcase_add_test(tc, test_functions_of_one_unit);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	return run_suite(symbolize_suite());
}
