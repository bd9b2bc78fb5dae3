/*
 * test_symbol_index.c — the sorted symbol index (src/symbolize/
 * symbol_index.c) names the code addresses a profile meets as libdwfl's
 * dwfl_module_addrinfo does, which it replaces: the first, middle and last
 * byte of every function symbol of this program, and of every seventh
 * (libdwfl scans the whole table for each address) of
 * the C library (with its separate debug file's symbols where one is
 * installed) and, where installed, gcc's cc1 (29,000 dynamic symbols).
 */

#include <check.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libdw_fns.h"
#include "symbol_index.h"
#include "run_suite.h"

#define CC1 "/usr/lib/gcc/x86_64-linux-gnu/12/cc1"

static char *debuginfo_path;
static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

static const char *dwfl_name(Dwfl_Module *mod, uint64_t pc)
{
	GElf_Off offset;
	GElf_Sym sym;
	return dwfl_module_addrinfo(mod, pc, &offset, &sym, NULL, NULL, NULL);
}

static int same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Compares the two inside every stride-th function symbol of path; returns
 * how many addresses were compared, failing at the first disagreement.
 * (Addresses between symbols are left out: there libdwfl takes the last
 * label in table order that passes its checks, the index the closest.) */
static size_t compare_file(const char *path, int stride)
{
	Dwfl *dwfl = dwfl_begin(&callbacks);
	ck_assert_ptr_nonnull(dwfl);
	Dwfl_Module *mod = dwfl_report_elf(dwfl, path, path, -1, 0x10000000, false);
	ck_assert_msg(mod != NULL, "%s: %s", path, dwfl_errmsg(-1));
	dwfl_report_end(dwfl, NULL, NULL);
	struct sym_symbol_index ix = { 0 };
	int total = dwfl_module_getsymtab(mod);
	ck_assert_int_gt(total, 1);
	size_t compared = 0;
	for (int i = 1; i < total; i += stride) {
		GElf_Sym sym;
		GElf_Addr value;
		if (dwfl_module_getsym_info(mod, i, &sym, &value, NULL, NULL, NULL) == NULL ||
		    sym.st_shndx == SHN_UNDEF || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_size == 0)
			continue;
		uint64_t size = sym.st_size;
		uint64_t at[] = { value, value + size / 2, value + size - 1 };
		for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
			const char *want = dwfl_name(mod, at[k]);
			uint64_t entry;
			const char *got = sym_symbol_index_name(&ix, mod, at[k], &entry);
			ck_assert_msg(same(want, got), "%s at %#llx (symbol %d): libdwfl names it %s, the index %s",
			              path, (unsigned long long)at[k], i, want ? want : "(nothing)",
			              got ? got : "(nothing)");
			ck_assert_uint_eq(entry, value);
			compared++;
		}
	}
	sym_symbol_index_free(&ix);
	dwfl_end(dwfl);
	return compared;
}

/* A hand-written label without a size, as assembly code has. */
__asm__(".text\n"
        ".globl symbol_index_label\n"
        "symbol_index_label:\n"
        "\tnop\n\tnop\n\tnop\n\tret\n");
extern char symbol_index_label[];

START_TEST(test_sizeless_label)
{
	Dwfl *dwfl = dwfl_begin(&callbacks);
	Dwfl_Module *mod = dwfl_report_elf(dwfl, "self", "/proc/self/exe", -1, 0, false);
	ck_assert_ptr_nonnull(mod);
	dwfl_report_end(dwfl, NULL, NULL);
	GElf_Sym sym;
	GElf_Addr at = 0;
	for (int i = 1; i < dwfl_module_getsymtab(mod); i++) {
		const char *name = dwfl_module_getsym_info(mod, i, &sym, &at, NULL, NULL, NULL);
		if (name && strcmp(name, "symbol_index_label") == 0)
			break;
		at = 0;
	}
	ck_assert_uint_ne(at, 0);
	ck_assert_uint_eq(sym.st_size, 0);
	struct sym_symbol_index ix = { 0 };
	for (uint64_t pc = at; pc < at + 4; pc++) {
		ck_assert_str_eq(dwfl_name(mod, pc), "symbol_index_label");
		uint64_t entry;
		ck_assert_str_eq(sym_symbol_index_name(&ix, mod, pc, &entry), "symbol_index_label");
		ck_assert_uint_eq(entry, at);
	}
	sym_symbol_index_free(&ix);
	dwfl_end(dwfl);
}
END_TEST

static int find_libc(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	if (strstr(info->dlpi_name, "/libc.so.6")) {
		snprintf(arg, 4096, "%s", info->dlpi_name);
		return 1;
	}
	return 0;
}

START_TEST(test_this_program)
{
	ck_assert_uint_gt(compare_file("/proc/self/exe", 1), 100);
}
END_TEST

START_TEST(test_libc)
{
	char path[4096] = "";
	dl_iterate_phdr(find_libc, path);
	ck_assert_str_ne(path, "");
	ck_assert_uint_gt(compare_file(path, 7), 1000);
}
END_TEST

START_TEST(test_large_program)
{
	if (access(CC1, R_OK) != 0) {
		fprintf(stderr, "test_symbol_index: %s is not installed, skipped\n", CC1);
		return;
	}
	ck_assert_uint_gt(compare_file(CC1, 97), 500);
}
END_TEST

static Suite *symbol_index_suite(void)
{
	Suite *s = suite_create("symbol_index");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_this_program);
	tcase_add_test(tc, test_sizeless_label);
	tcase_add_test(tc, test_libc);
	tcase_add_test(tc, test_large_program);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	/* the index calls libdw through the symbolizer's table (libdw_fns.h);
	 * this test's own calls reach the same library, linked in */
	if (libdw_load() != 0) {
		fprintf(stderr, "test_symbol_index: %s\n", libdw_load_note(&(int){ 0 }));
		return 1;
	}
	return run_suite(symbol_index_suite());
}
