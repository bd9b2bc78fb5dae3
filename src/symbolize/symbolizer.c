/*
 * symbolizer.c — the in-process symbolizer (see symbolize.h): which objects
 * are loaded, which mapping a PC lies in, and the per-PC answers.
 *
 * Pieces, one job each:
 *   proc_maps.c      the executable lines of /proc/self/maps
 *   object.c         one ELF object in its own single-module Dwfl session
 *   libdw_fns.c      libdw and libelf, loaded in a symbol scope of their own
 *   debuginfo.c      finding separate debug files, locally only
 *   dynamic_symbol.c naming a PC without libdw
 *   dwarf_frames.c   PC → inline chain + physical function (libdw)
 *   dwarf_names.c    qualified names of C++ functions without a linker name
 *   die_tree.c       a DIE's ancestors
 *   demangle.c       C++ linker names through the process's demangler
 *   cxx_names.c      C++ names shortened as pprof shows them
 *   cu_index.c       a compilation unit's function scopes, sorted by address
 *   pc_cache.c       PC → frames table
 *   string_arena.c   append-only memory and interned strings
 *
 * Refresh. Each snapshot starts with symbolizer_refresh, which rereads the
 * executable segments and compares them (and the number of retained
 * modules) with the last read; only a difference rebuilds the mapping list.
 * A rebuild keeps every object that is still mapped at the same bias, opens
 * new ones, adds the retained modules that are no longer mapped (their
 * segments computed from their program headers), and closes the rest. Live
 * mappings come first, in /proc/self/maps order, so a PC inside a live object
 * is never attributed to a retained object that used to live there.
 *
 * Lifetimes. Strings and cached frame arrays live in the arena until
 * symbolizer_free. The mapping array (symbolizer_mappings, *mapping of a
 * lookup) is replaced by a rebuild: those pointers are valid until the next
 * symbolizer_refresh, though the strings they point to stay valid. After a
 * rebuild a cached answer survives only if its PC still lies in the same
 * object (same object id); otherwise the PC is symbolized afresh.
 *
 * Debug information is loaded per object on the first lookup of a PC in it,
 * never at refresh (libdw decompresses compressed debug sections as it opens
 * them), and only for objects whose DWARF is worth its cost: the main
 * executable's and that of objects carrying or shipping their own; system
 * libraries are named from symbol tables (object.h says exactly which). So a
 * mapping's has_debug_lines becomes known, and is set, when the first PC in
 * its object is looked up; mappings with no looked-up PC say 0, which is
 * harmless since no Location uses them.
 *
 * Names. system_name is the linker-level name: DW_AT_linkage_name (mangled
 * for C++) or DW_AT_name from DWARF, or the ELF symbol without DWARF.
 * function is what pprof shows: a mangled name demangled and shortened
 * (demangle.h: `std::vector::push_back`); when the process has no demangler,
 * function = system_name = the mangled name, and pprof demangles and
 * shortens it itself into the same text (it does so for a function whose
 * name equals its system_name). A C++ function that DWARF gives no linker
 * name (lambdas, anonymous namespaces: dwarf_names.h) is shown by its
 * qualified name, with an empty system_name.
 *
 * Threads. A symbolizer belongs to one thread at a time (the agent runs
 * every snapshot under one lock); it takes no lock of its own.
 */
#include "symbolize.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#include "demangle.h"
#include "dwarf_frames.h"
#include "dynamic_symbol.h"
#include "libdw_fns.h"
#include "object.h"
#include "pc_cache.h"
#include "proc_maps.h"
#include "string_arena.h"

#define MAX_CHAIN 64                /* frames kept per PC, inlined ones included */
#define MAX_RETAINED_SEGMENTS 8     /* executable PT_LOADs listed per retained module */

struct retained_module {
	char *path;
	uint64_t bias;
};

/* The mapping list being built by a rebuild; parallel arrays. */
struct mapping_list {
	struct sym_mapping *mappings;
	struct sym_object **objects;   /* NULL for pseudo, anonymous or unreadable */
	size_t n, cap, nlive;          /* the first nlive come from /proc/self/maps */
};

struct symbolizer {
	struct proc_maps maps, spare;  /* the last read, and buffers for the next */
	int up_to_date;                /* the mapping list reflects maps + retained_seen */
	size_t retained_seen;

	struct mapping_list list;      /* current mappings; sorted by address up to nlive */
	struct sym_object **objects;   /* every open object */
	size_t nobjects;
	uint64_t last_object_id;

	struct retained_module *retained;
	size_t nretained, retained_cap;

	struct sym_arena arena;
	struct sym_cache cache;
	struct sym_demangler demangler;
};

symbolizer *symbolizer_new(void)
{
	libdw_load();
	symbolizer *s = calloc(1, sizeof *s);
	return s;
}

const char *symbolizer_load_note(int *verbose)
{
	return libdw_load_note(verbose);
}

static void free_list(struct mapping_list *list)
{
	free(list->mappings);
	free(list->objects);
	memset(list, 0, sizeof *list);
}

void symbolizer_free(symbolizer *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nobjects; i++)
		sym_object_close(s->objects[i]);
	free(s->objects);
	for (size_t i = 0; i < s->nretained; i++)
		free(s->retained[i].path);
	free(s->retained);
	free_list(&s->list);
	proc_maps_free(&s->maps);
	proc_maps_free(&s->spare);
	sym_arena_free(&s->arena);
	sym_cache_free(&s->cache);
	free(s);
}

/* ---- retained modules ---- */

static int is_retained(symbolizer *s, const char *path, uint64_t bias)
{
	for (size_t i = 0; i < s->nretained; i++)
		if (s->retained[i].bias == bias && strcmp(s->retained[i].path, path) == 0)
			return 1;
	return 0;
}

static void append_retained(symbolizer *s, const char *path, uint64_t bias)
{
	if (s->nretained == s->retained_cap) {
		size_t cap = s->retained_cap ? 2 * s->retained_cap : 16;
		struct retained_module *r = realloc(s->retained, cap * sizeof *r);
		if (r == NULL)
			return;
		s->retained = r;
		s->retained_cap = cap;
	}
	char *copy = strdup(path);
	if (copy != NULL)
		s->retained[s->nretained++] = (struct retained_module){ copy, bias };
}

void symbolizer_retain_module(symbolizer *s, const char *path, uint64_t load_bias)
{
	if (s == NULL || path == NULL || *path == '\0')
		return;
	if (!is_retained(s, path, load_bias))
		append_retained(s, path, load_bias);
}

/* ---- objects ---- */

static struct sym_object *add_object(symbolizer *s, struct sym_object *obj)
{
	struct sym_object **objects = realloc(s->objects, (s->nobjects + 1) * sizeof *objects);
	if (objects == NULL) {
		sym_object_close(obj);
		return NULL;
	}
	s->objects = objects;
	s->objects[s->nobjects++] = obj;
	obj->id = ++s->last_object_id;
	return obj;
}

/* Whether seg holds the program's entry point, i.e. belongs to the main
 * executable (ld.so sets AT_ENTRY to the program's entry also when it was
 * run as "ld.so PROGRAM"). */
static int holds_entry_point(const struct exec_segment *seg)
{
	uint64_t entry = getauxval(AT_ENTRY);
	return entry >= seg->start && entry < seg->limit;
}

/* The open object for a live segment, opening it when new; NULL for pseudo
 * and anonymous mappings and for files that cannot be read. A deleted file
 * is read through /proc/self/map_files, never by its old name (which may now
 * be a different file). */
static struct sym_object *object_for_segment(symbolizer *s, const struct exec_segment *seg)
{
	if (seg->path[0] != '/')
		return NULL;
	for (size_t i = 0; i < s->nobjects; i++)
		if (strcmp(s->objects[i]->path, seg->path) == 0 &&
		    sym_object_matches(s->objects[i], seg->start, seg->offset))
			return s->objects[i];
	char map_file[64];
	const char *open_path = seg->path;
	if (seg->deleted) {
		snprintf(map_file, sizeof map_file, "/proc/self/map_files/%" PRIx64 "-%" PRIx64,
		         seg->start, seg->limit);
		open_path = map_file;
	}
	struct sym_object *obj = sym_object_open_mapped(seg->path, open_path, seg->start, seg->offset);
	if (obj == NULL)
		return NULL;
	obj->main_program = holds_entry_point(seg);
	return add_object(s, obj);
}

static struct sym_object *find_object(symbolizer *s, const char *path, uint64_t bias, int in_use)
{
	for (size_t i = 0; i < s->nobjects; i++) {
		struct sym_object *o = s->objects[i];
		if (o->in_use == in_use && o->bias == bias && strcmp(o->path, path) == 0)
			return o;
	}
	return NULL;
}

static void close_unused_objects(symbolizer *s)
{
	size_t kept = 0;
	for (size_t i = 0; i < s->nobjects; i++) {
		if (s->objects[i]->in_use)
			s->objects[kept++] = s->objects[i];
		else
			sym_object_close(s->objects[i]);
	}
	s->nobjects = kept;
}

/* ---- the mapping list ---- */

static int list_append(symbolizer *s, struct mapping_list *list, uint64_t start, uint64_t limit,
                       uint64_t offset, const char *path, struct sym_object *obj)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 64;
		struct sym_mapping *m = realloc(list->mappings, cap * sizeof *m);
		if (m != NULL)
			list->mappings = m;
		struct sym_object **o = realloc(list->objects, cap * sizeof *o);
		if (m == NULL || o == NULL)
			return -1;
		list->objects = o;
		list->cap = cap;
	}
	list->mappings[list->n] = (struct sym_mapping){
		.start = start, .limit = limit, .offset = offset,
		.path = sym_arena_intern(&s->arena, path),
		.build_id = obj ? sym_arena_intern(&s->arena, obj->build_id) : "",
		.index = (int)list->n,
		.has_debug_lines = obj != NULL && obj->has_debug_lines > 0,
		.names_final = obj != NULL || path[0] != '/',
	};
	list->objects[list->n++] = obj;
	if (obj != NULL)
		obj->in_use = 1;
	return 0;
}

static int add_live_segments(symbolizer *s, struct mapping_list *list)
{
	for (size_t i = 0; i < s->maps.nsegs; i++) {
		const struct exec_segment *seg = &s->maps.segs[i];
		struct sym_object *obj = object_for_segment(s, seg);
		if (list_append(s, list, seg->start, seg->limit, seg->offset, seg->path, obj) < 0)
			return -1;
	}
	list->nlive = list->n;
	return 0;
}

/* Lists a retained module that is no longer mapped (a still-mapped one was
 * already listed from /proc/self/maps). A file that is gone is skipped. */
static int add_retained_module(symbolizer *s, struct mapping_list *list,
                               const struct retained_module *r)
{
	if (find_object(s, r->path, r->bias, 1) != NULL)
		return 0;
	struct sym_object *obj = find_object(s, r->path, r->bias, 0);
	if (obj == NULL && (obj = sym_object_open_biased(r->path, r->bias)) != NULL)
		obj = add_object(s, obj);
	if (obj == NULL)
		return 0;
	struct sym_object_segment segs[MAX_RETAINED_SEGMENTS];
	size_t n = sym_object_exec_segments(obj, segs, MAX_RETAINED_SEGMENTS);
	for (size_t i = 0; i < n; i++)
		if (list_append(s, list, segs[i].start, segs[i].limit, segs[i].offset, obj->path,
		                obj) < 0)
			return -1;
	return 0;
}

/* The index of the mapping holding pc, or -1: a binary search over the live
 * mappings (sorted, disjoint), then the retained ones. */
static int find_mapping(const struct mapping_list *list, uint64_t pc)
{
	size_t lo = 0, hi = list->nlive;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pc < list->mappings[mid].start)
			hi = mid;
		else if (pc >= list->mappings[mid].limit)
			lo = mid + 1;
		else
			return (int)mid;
	}
	for (size_t i = list->nlive; i < list->n; i++)
		if (pc >= list->mappings[i].start && pc < list->mappings[i].limit)
			return (int)i;
	return -1;
}

static uint64_t object_id_at(const struct mapping_list *list, int mapping)
{
	return mapping >= 0 && list->objects[mapping] ? list->objects[mapping]->id : 0;
}

/* sym_cache_filter callback: keep an answer whose PC is still in the same
 * object, moving it to its new mapping index. */
static int still_same_object(struct sym_cache_entry *e, void *ctx)
{
	const struct mapping_list *list = ctx;
	int mapping = find_mapping(list, e->pc);
	if (object_id_at(list, mapping) != e->object_id)
		return 0;
	e->mapping = mapping;
	return 1;
}

static int rebuild_mappings(symbolizer *s, size_t nretained)
{
	struct mapping_list list = { 0 };
	for (size_t i = 0; i < s->nobjects; i++)
		s->objects[i]->in_use = 0;
	if (add_live_segments(s, &list) < 0)
		goto fail;
	for (size_t i = 0; i < nretained; i++)
		if (add_retained_module(s, &list, &s->retained[i]) < 0)
			goto fail;
	close_unused_objects(s);
	free_list(&s->list);
	s->list = list;
	sym_cache_filter(&s->cache, still_same_object, &s->list);
	return 0;
fail:
	free_list(&list);
	errno = ENOMEM;
	return -1;
}

int symbolizer_refresh(symbolizer *s)
{
	if (proc_maps_read(&s->spare, "/proc/self/maps") < 0)
		return -1;
	size_t nretained = s->nretained;
	if (s->up_to_date && nretained == s->retained_seen && proc_maps_same(&s->spare, &s->maps))
		return 0;
	struct proc_maps read = s->spare;
	s->spare = s->maps;
	s->maps = read;
	sym_demangler_find(&s->demangler);
	s->up_to_date = rebuild_mappings(s, nretained) == 0;
	s->retained_seen = nretained;
	return s->up_to_date ? 0 : -1;
}

void symbolizer_release_files(symbolizer *s)
{
	for (size_t i = 0; i < s->nobjects; i++)
		sym_object_suspend(s->objects[i]);
}

size_t symbolizer_mappings(symbolizer *s, const struct sym_mapping **out)
{
	*out = s->list.mappings;
	return s->list.n;
}

/* ---- lookup ---- */

/* The arena's copy of a linker name without the symbol version that a
 * static symbol table spells into it ("__libc_start_main@@GLIBC_2.34" in
 * libc's): the function is the same whichever version a caller bound to. */
static const char *interned_name(symbolizer *s, const char *name)
{
	const char *at = strchr(name, '@');
	char *bare = at != NULL && at != name ? strndup(name, (size_t)(at - name)) : NULL;
	const char *result = sym_arena_intern(&s->arena, bare ? bare : name);
	free(bare);
	return result;
}

static struct sym_frame frame_from_raw(symbolizer *s, const struct sym_raw_frame *raw)
{
	const char *system_name = raw->name ? interned_name(s, raw->name) : "";
	const char *function = raw->display;
	if (function == NULL)
		function = sym_demangle_short(&s->demangler, &s->arena, system_name, CXX_DROP_PARAMS);
	return (struct sym_frame){
		.function = function ? function : system_name,
		.system_name = system_name,
		.file = sym_arena_intern(&s->arena, raw->file),
		.line = raw->line,
	};
}

/* Sets has_debug_lines on every mapping of obj, once its DWARF is loaded. */
static void note_debug_lines(symbolizer *s, struct sym_object *obj)
{
	if (obj->has_debug_lines >= 0)
		return;
	int has = sym_object_has_debug_lines(obj);
	for (size_t i = 0; i < s->list.n; i++)
		if (s->list.objects[i] == obj)
			s->list.mappings[i].has_debug_lines = has;
}

/* Symbolizes pc and caches the answer; returns the cached entry, or scratch
 * filled in (and not cached) when memory runs out. */
static const struct sym_cache_entry *symbolize_pc(symbolizer *s, uint64_t pc,
                                                  struct sym_cache_entry *scratch)
{
	int mapping = find_mapping(&s->list, pc);
	struct sym_object *obj = mapping >= 0 ? s->list.objects[mapping] : NULL;
	struct sym_raw_frame raw[MAX_CHAIN];
	Dwfl_Module *mod = obj ? sym_object_module(obj) : NULL;
	size_t n = 0;
	struct sym_namer namer = { &s->demangler, &s->arena, obj ? &obj->die_tree : NULL };
	if (mod != NULL && sym_object_uses_dwarf(obj))
		n = sym_dwarf_frames(mod, &obj->cu_indexes, &obj->symbols, &namer, pc, raw, MAX_CHAIN);
	else if (mod != NULL)
		n = sym_symbol_frame(mod, &obj->symbols, pc, raw);
	else if (libdw == NULL)
		n = sym_dynamic_symbol_frame(pc, raw);
	if (obj != NULL)
		note_debug_lines(s, obj);
	struct sym_frame *frames = n ? sym_arena_alloc(&s->arena, n * sizeof *frames) : NULL;
	*scratch = (struct sym_cache_entry){ .pc = pc, .object_id = obj ? obj->id : 0,
	                                     .mapping = mapping };
	if (n > 0 && frames == NULL)
		return scratch;
	for (size_t i = 0; i < n; i++) {
		frames[i] = frame_from_raw(s, &raw[i]);
		frames[i].entry = raw[n - 1].entry;
	}
	scratch->frames = frames;
	scratch->nframes = (uint32_t)n;
	const struct sym_cache_entry *e = sym_cache_insert(&s->cache, scratch);
	return e ? e : scratch;
}

size_t symbolizer_lookup(symbolizer *s, uint64_t pc, struct sym_frame *frames, size_t max,
                         const struct sym_mapping **mapping)
{
	struct sym_cache_entry scratch;
	const struct sym_cache_entry *e = sym_cache_find(&s->cache, pc);
	if (e == NULL)
		e = symbolize_pc(s, pc, &scratch);
	if (mapping != NULL)
		*mapping = e->mapping >= 0 ? &s->list.mappings[e->mapping] : NULL;
	size_t n = e->nframes < max ? e->nframes : max;
	if (n > 0)
		memcpy(frames, e->frames, n * sizeof *frames);
	return n;
}
