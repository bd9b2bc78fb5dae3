/*
 * symbol_index.c — the module's ELF symbols sorted by address (see
 * symbol_index.h).
 */
#include "symbol_index.h"
#include "libdw_fns.h"

#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SCAN 4096   /* entries looked at below pc for one that covers it */

struct sym_symbol {
	uint64_t start;
	uint64_t end;       /* sized: start + size; sizeless: the end of its section */
	uint64_t covered;   /* the highest end of the sized symbols up to this one */
	const char *name;
	int32_t sizeless_at;/* the last sizeless symbol up to this one, -1 for none */
	uint32_t order;     /* its place in the symbol table: the first of equals is taken */
	uint8_t sized;
	uint8_t global;     /* global or weak: a symbol of the table's global part */
	uint8_t binding;    /* 3 global, 2 weak, 1 local, 0 other: higher is preferred */
};

static uint8_t binding_value(unsigned char info)
{
	switch (GELF_ST_BIND(info)) {
	case STB_GLOBAL: return 3;
	case STB_WEAK: return 2;
	case STB_LOCAL: return 1;
	default: return 0;
	}
}

/* The run-time end of section shndx of elf, or UINT64_MAX when unknown. */
static uint64_t section_end(Elf *elf, GElf_Word shndx, Dwarf_Addr bias, uint64_t start)
{
	if (shndx >= SHN_LORESERVE)
		return start + 1;   /* absolute and common symbols name only their own address */
	GElf_Shdr mem;
	Elf_Scn *scn = elf ? libdw->elf_getscn(elf, shndx) : NULL;
	GElf_Shdr *sh = scn ? libdw->gelf_getshdr(scn, &mem) : NULL;
	return sh ? sh->sh_addr + sh->sh_size + bias : UINT64_MAX;
}

static int by_start_then_order(const void *a, const void *b)
{
	const struct sym_symbol *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Moves v's entries so that the one at position perm[i] comes to i, in
 * place: each cycle of the permutation is followed once with one entry in
 * hand. perm is used up (each position done is marked with n). */
static void permute(struct sym_symbol *v, uint32_t *perm, size_t n)
{
	for (size_t start = 0; start < n; start++) {
		if (perm[start] == n || perm[start] == start)
			continue;
		struct sym_symbol held = v[start];
		size_t at = start;
		for (;;) {
			size_t from = perm[at];
			perm[at] = (uint32_t)n;
			if (from == start) {
				v[at] = held;
				break;
			}
			v[at] = v[from];
			at = from;
		}
	}
}

/* Sorts v[0..n) by start, keeping the table's order among equal starts
 * (the order field grows with the position, so that order is also the
 * order field's, which is what qsort below compares). The keys (start - lowest start) << 32 | position, 8 bytes each,
 * are radix-sorted a byte of the span at a time (stable; three passes for
 * a library), then the 48-byte entries are moved once, in place: moving
 * the entries through every pass cost more than reading the symbols. A
 * span of 4 GiB or more takes qsort. Returns 0, or -1 when memory runs out
 * (v unchanged). */
static int sort_by_start(struct sym_symbol *v, size_t n)
{
	if (n < 2)
		return 0;
	uint64_t low = UINT64_MAX, high = 0;
	for (size_t i = 0; i < n; i++) {
		low = v[i].start < low ? v[i].start : low;
		high = v[i].start > high ? v[i].start : high;
	}
	if (high - low > UINT32_MAX || n > UINT32_MAX - 1) {
		qsort(v, n, sizeof *v, by_start_then_order);
		return 0;
	}
	uint64_t *keys = malloc(2 * n * sizeof *keys);
	if (keys == NULL)
		return -1;
	uint64_t *from = keys, *to = keys + n;
	for (size_t i = 0; i < n; i++)
		from[i] = (v[i].start - low) << 32 | i;
	for (unsigned shift = 32; shift < 64 && ((high - low) >> (shift - 32)) != 0; shift += 8) {
		size_t count[257] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[(from[i] >> shift & 0xff) + 1]++;
		for (int d = 0; d < 256; d++)
			count[d + 1] += count[d];
		for (size_t i = 0; i < n; i++)
			to[count[from[i] >> shift & 0xff]++] = from[i];
		uint64_t *t = from;
		from = to;
		to = t;
	}
	uint32_t *perm = (uint32_t *)(void *)to;   /* the other half, free now */
	for (size_t i = 0; i < n; i++)
		perm[i] = (uint32_t)from[i];
	permute(v, perm, n);
	free(keys);
	return 0;
}

/* One symbol as the index needs it: what dwfl_module_getsym_info says. */
struct raw_symbol {
	const char *name;
	GElf_Sym sym;
	GElf_Addr value;
	GElf_Word shndx;
	Elf *elf;
	Dwarf_Addr bias;
};

static int raw_from_libdw(Dwfl_Module *mod, int i, struct raw_symbol *r)
{
	r->name = libdw->dwfl_module_getsym_info(mod, i, &r->sym, &r->value, &r->shndx, &r->elf,
	                                         &r->bias);
	return r->name != NULL;
}

/* Appends symbol i to the index if a PC can lie in it. */
static void add_symbol(struct sym_symbol_index *ix, int i, const struct raw_symbol *r)
{
	int type = GELF_ST_TYPE(r->sym.st_info);
	if (r->name == NULL || r->name[0] == '\0' || r->sym.st_shndx == SHN_UNDEF ||
	    (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_NOTYPE))
		return;   /* data, sections, files, TLS: no PC lies in them */
	struct sym_symbol *e = &ix->v[ix->n++];
	e->start = r->value;
	e->sized = r->sym.st_size != 0;
	e->end = e->sized ? r->value + r->sym.st_size : section_end(r->elf, r->shndx, r->bias, r->value);
	e->name = r->name;
	e->order = (uint32_t)i;
	e->binding = binding_value(r->sym.st_info);
	e->global = e->binding >= 2 || GELF_ST_BIND(r->sym.st_info) == STB_GNU_UNIQUE;
}

/* The table libdw reads the module's symbols from, read directly: the
 * symbol and string sections of one ELF, 64-bit, without extended section
 * indexes, in which symbol i is libdw's symbol i. */
struct direct_table {
	const Elf64_Sym *syms;
	const char *strings;
	size_t nstrings;
	Elf *elf;
	Dwarf_Addr bias;
	GElf_Addr shift;   /* value - st_value for a symbol in a section */
};

static int same_symbol(const struct raw_symbol *a, const struct raw_symbol *b)
{
	return a->name == b->name && a->value == b->value && a->shndx == b->shndx &&
	       a->elf == b->elf && a->bias == b->bias && a->sym.st_info == b->sym.st_info &&
	       a->sym.st_size == b->sym.st_size && a->sym.st_shndx == b->sym.st_shndx;
}

/* Symbol i from the sections, as libdw would give it; 0 for one whose
 * address libdw may place otherwise (absolute, common, or an index beyond
 * the table's sections), which is then asked of libdw. */
static int raw_direct(const struct direct_table *t, int i, struct raw_symbol *r)
{
	const Elf64_Sym *s = &t->syms[i];
	if (s->st_name >= t->nstrings || s->st_shndx >= SHN_LORESERVE)
		return 0;
	r->name = t->strings + s->st_name;
	r->sym = (GElf_Sym){ s->st_name, s->st_info, s->st_other, s->st_shndx, s->st_value, s->st_size };
	r->value = s->st_shndx == SHN_UNDEF ? s->st_value : s->st_value + t->shift;
	r->shndx = s->st_shndx;
	r->elf = t->elf;
	r->bias = t->bias;
	return 1;
}

/* Finds the section of total entries libdw's symbol 1 comes from, and
 * checks the direct reading against libdw at symbols spread over the
 * table: 0 (use libdw for every symbol) unless all agree. */
static int direct_table_open(struct direct_table *t, Dwfl_Module *mod, int total)
{
	struct raw_symbol first;
	if (!raw_from_libdw(mod, 1, &first) || first.elf == NULL)
		return 0;
	GElf_Ehdr ehdr;
	if (libdw->gelf_getehdr(first.elf, &ehdr) == NULL || ehdr.e_ident[EI_CLASS] != ELFCLASS64 ||
	    ehdr.e_ident[EI_DATA] != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB
	                                                                      : ELFDATA2MSB))
		return 0;
	Elf_Scn *symscn = NULL, *scn = NULL;
	GElf_Shdr sh, strsh;
	while ((scn = libdw->elf_nextscn(first.elf, scn)) != NULL) {
		if (libdw->gelf_getshdr(scn, &sh) == NULL)
			return 0;
		if (sh.sh_type == SHT_SYMTAB_SHNDX)
			return 0;
		if ((sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM) &&
		    sh.sh_entsize == sizeof(Elf64_Sym) && sh.sh_size / sh.sh_entsize == (size_t)total &&
		    symscn == NULL)
			symscn = scn;
	}
	if (symscn == NULL || libdw->gelf_getshdr(symscn, &sh) == NULL)
		return 0;
	Elf_Scn *strscn = libdw->elf_getscn(first.elf, sh.sh_link);
	Elf_Data *syms = libdw->elf_getdata(symscn, NULL);
	Elf_Data *strs = strscn ? libdw->elf_getdata(strscn, NULL) : NULL;
	if (syms == NULL || strs == NULL || libdw->gelf_getshdr(strscn, &strsh) == NULL ||
	    strsh.sh_type != SHT_STRTAB || syms->d_size < (size_t)total * sizeof(Elf64_Sym) ||
	    strs->d_size == 0 || ((const char *)strs->d_buf)[strs->d_size - 1] != '\0')
		return 0;
	*t = (struct direct_table){ syms->d_buf, strs->d_buf, strs->d_size, first.elf, first.bias, 0 };
	/* The shift, from the first symbol in a section that libdw reads. */
	for (int i = 1; i < total; i++) {
		struct raw_symbol r;
		const Elf64_Sym *s = &t->syms[i];
		if (s->st_shndx == SHN_UNDEF || s->st_shndx >= SHN_LORESERVE)
			continue;
		if (!raw_from_libdw(mod, i, &r))
			return 0;
		t->shift = r.value - s->st_value;
		break;
	}
	/* Agreement at 64 symbols spread over the table, the first and last
	 * included. */
	for (int k = 0; k <= 64; k++) {
		int i = 1 + (int)((int64_t)(total - 2) * k / 64);
		struct raw_symbol a, b;
		if (!raw_from_libdw(mod, i, &a))
			return 0;
		if (raw_direct(t, i, &b) && !same_symbol(&a, &b))
			return 0;
	}
	return 1;
}

static int read_symbols(struct sym_symbol_index *ix, Dwfl_Module *mod)
{
	int total = libdw->dwfl_module_getsymtab(mod);
	if (total <= 1)
		return 0;
	ix->v = malloc((size_t)total * sizeof *ix->v);
	if (ix->v == NULL)
		return -1;
	/* libdw costs about 280 instructions a symbol (libc's table has
	 * 10,000, read at every program's first snapshot); the sections read
	 * directly, a tenth of that. */
	struct direct_table t;
	int direct = direct_table_open(&t, mod, total);
	for (int i = 1; i < total; i++) {
		struct raw_symbol r;
		if ((direct && raw_direct(&t, i, &r)) || raw_from_libdw(mod, i, &r))
			add_symbol(ix, i, &r);
	}
	if (sort_by_start(ix->v, ix->n) != 0)
		return -1;
	uint64_t covered = 0;
	int32_t sizeless_at = -1;
	for (size_t i = 0; i < ix->n; i++) {
		struct sym_symbol *e = &ix->v[i];
		if (e->sized && e->end > covered)
			covered = e->end;
		if (!e->sized)
			sizeless_at = (int32_t)i;
		e->covered = covered;
		e->sizeless_at = sizeless_at;
	}
	return 0;
}

/* Whether symbol c names the address better than best, both sized or both
 * sizeless. */
static int better(const struct sym_symbol *c, const struct sym_symbol *best)
{
	if (best == NULL)
		return 1;
	if (c->start != best->start)
		return c->start > best->start;
	if (c->binding != best->binding)
		return c->binding > best->binding;
	if (c->end - c->start != best->end - best->start)
		return c->end - c->start < best->end - best->start;
	return c->order < best->order;
}

/* The index of the last symbol starting at or below pc, or -1. */
static long last_at_or_below(const struct sym_symbol_index *ix, uint64_t pc)
{
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->v[mid].start <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

/* The symbol naming pc, or NULL. */
static const struct sym_symbol *lookup(struct sym_symbol_index *ix, Dwfl_Module *mod, uint64_t pc)
{
	if (ix->state == 0)
		ix->state = read_symbols(ix, mod) == 0 ? 1 : -1;
	if (ix->state < 0)
		return NULL;
	long i = last_at_or_below(ix, pc);
	if (i < 0)
		return NULL;
	/* The sized symbols covering pc, global and local apart, and a global
	 * label exactly at pc. */
	const struct sym_symbol *global = NULL, *local = NULL, *exact = NULL;
	for (long j = i; j >= 0 && i - j < MAX_SCAN; j--) {
		const struct sym_symbol *c = &ix->v[j];
		if (c->covered <= pc && c->start != pc)
			break;
		if (c->sized && c->end > pc) {
			if (c->global && better(c, global))
				global = c;
			else if (!c->global && better(c, local))
				local = c;
		} else if (!c->sized && c->global && c->start == pc && better(c, exact)) {
			exact = c;
		}
	}
	if (global != NULL || exact != NULL || local != NULL)
		return global ? global : exact ? exact : local;
	/* A label: the closest sizeless symbol, past the end of every sized
	 * symbol below pc, in pc's section. */
	const struct sym_symbol *label = NULL;
	for (int32_t k = ix->v[i].sizeless_at; k >= 0; k--) {
		const struct sym_symbol *c = &ix->v[k];
		if (label != NULL && c->start != label->start)
			break;
		if (!c->sized && better(c, label))
			label = c;
	}
	if (label == NULL || label->start < ix->v[i].covered ||
	    (pc >= label->end && pc != label->start))
		return NULL;
	return label;
}

const char *sym_symbol_index_name(struct sym_symbol_index *ix, Dwfl_Module *mod, uint64_t pc,
                                  uint64_t *entry)
{
	const struct sym_symbol *e = lookup(ix, mod, pc);
	*entry = e ? e->start : 0;
	return e ? e->name : NULL;
}

void sym_symbol_index_free(struct sym_symbol_index *ix)
{
	free(ix->v);
	ix->v = NULL;
	ix->n = 0;
	ix->state = 0;
}
