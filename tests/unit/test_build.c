/*
 * test_build.c — unit tests of src/report/build.c: profiles built from
 * buckets, written and read back. Every kind gets its header from the
 * kinds table; samples carry the rows' values and stacks leaf first, with
 * return address - 1 as each location's address; rows of zeros are left
 * out; the overflow and unknown pseudo-frames are named functions; the heap
 * samples have their "bytes" label and name the allocator's frames pprof is
 * to drop; with the symbolizer, locations in this program get names, and
 * its mapping the flags that say so, as does a mapping with no file, where
 * nothing can be named; and a PC shared by many stacks is one location.
 */
#include <check.h>
#include <string.h>
#include <sys/mman.h>

#include "arena.h"
#include "build.h"
#include "profile_decode.h"
#include "rates.h"
#include "run_suite.h"
#include "symbolize.h"

static Profile *built(enum profile_kind kind, symbolizer *sym)
{
	profile_builder *pb = profile_build(kind, sym);
	ck_assert_ptr_nonnull(pb);
	return decode_built(pb);
}

static const Perftools__Profiles__Location *location(const Profile *p, uint64_t id)
{
	for (size_t i = 0; i < p->n_location; i++)
		if (p->location[i]->id == id)
			return p->location[i];
	ck_abort_msg("no location %llu", (unsigned long long)id);
	return NULL;
}

static const char *function_name(const Profile *p, uint64_t id)
{
	for (size_t i = 0; i < p->n_function; i++)
		if (p->function[i]->id == id)
			return string_at(p, p->function[i]->name);
	ck_abort_msg("no function %llu", (unsigned long long)id);
	return NULL;
}

START_TEST(heap_profile_has_gos_header_and_the_rows)
{
	uintptr_t stk[3] = { 0x1001, 0x2001, 0x3001 }, zero_stk[1] = { 0x4001 };
	rates_set_heap(4096);
	struct bucket *b = bucket_for_stack(BUCKET_HEAP, stk, 3);
	atomic_store(&b->rec.mem.allocs, 2);
	atomic_store(&b->rec.mem.alloc_bytes, 48);
	atomic_store(&b->rec.mem.est_allocs, 10 * EST_ONE);
	atomic_store(&b->rec.mem.est_alloc_bytes, 240);
	bucket_for_stack(BUCKET_HEAP, zero_stk, 1);   /* nothing recorded: left out */
	Profile *p = built(KIND_HEAP, NULL);
	ck_assert_uint_eq(p->n_sample_type, 4);
	ck_assert_str_eq(string_at(p, p->sample_type[3]->type), "inuse_space");
	ck_assert_str_eq(string_at(p, p->period_type->type), "space");
	ck_assert_int_eq(p->period, 4096);
	ck_assert_int_eq(p->default_sample_type, 0);
	ck_assert_int_gt(p->time_nanos, 0);
	ck_assert_uint_eq(p->n_sample, 1);
	const Perftools__Profiles__Sample *s = p->sample[0];
	ck_assert_uint_eq(s->n_value, 4);
	ck_assert_int_eq(s->value[0], 10);
	ck_assert_int_eq(s->value[1], 240);
	ck_assert_int_eq(s->value[2], 10);
	ck_assert_int_eq(s->value[3], 240);
	ck_assert_uint_eq(s->n_location_id, 3);
	ck_assert_uint_eq(location(p, s->location_id[0])->address, 0x1000);
	ck_assert_uint_eq(location(p, s->location_id[2])->address, 0x3000);
	ck_assert_uint_eq(s->n_label, 1);
	ck_assert_str_eq(string_at(p, s->label[0]->key), "bytes");
	ck_assert_int_eq(s->label[0]->num, 24);
	profile_decoded_free(p);

	p = built(KIND_ALLOCS, NULL);
	ck_assert_str_eq(string_at(p, p->default_sample_type), "alloc_space");
	profile_decoded_free(p);
}
END_TEST

/* Heap kinds name the allocator's frames for pprof to drop (the regex's
 * effect is checked through pprof by e2e_cxx.sh); the others drop none. */
START_TEST(heap_kinds_drop_the_allocators_frames)
{
	uintptr_t stk[1] = { 0x1001 };
	struct bucket *b = bucket_for_stack(BUCKET_HEAP, stk, 1);
	atomic_store(&b->rec.mem.est_allocs, EST_ONE);
	atomic_store(&b->rec.mem.est_alloc_bytes, 16);
	enum profile_kind heap_kinds[] = { KIND_HEAP, KIND_ALLOCS };
	for (size_t i = 0; i < 2; i++) {
		Profile *p = built(heap_kinds[i], NULL);
		const char *drop = string_at(p, p->drop_frames);
		ck_assert_ptr_nonnull(strstr(drop, "operator new"));
		ck_assert_ptr_nonnull(strstr(drop, "std::(allocator|allocator_traits|__new_allocator)::allocate"));
		ck_assert_int_eq(p->keep_frames, 0);
		profile_decoded_free(p);
	}
	b = bucket_for_stack(BUCKET_BLOCK, stk, 1);
	atomic_store(&b->rec.block.count, EST_ONE);
	Profile *p = built(KIND_BLOCK, NULL);
	ck_assert_int_eq(p->drop_frames, 0);
	profile_decoded_free(p);
}
END_TEST

START_TEST(pseudo_frames_are_named_functions)
{
	uintptr_t stk[1] = { 0x5001 };
	arena_set_limit(arena_used());   /* the arena is full: every new stack overflows */
	struct bucket *over = bucket_for_stack(BUCKET_BLOCK, stk, 1);
	ck_assert_uint_eq(over->stk[0], BUCKET_OVERFLOW_PC);
	atomic_store(&over->rec.block.count, 2 * EST_ONE);
	atomic_store(&over->rec.block.cycles, 1000);
	Profile *p = built(KIND_BLOCK, NULL);
	ck_assert_uint_eq(p->n_sample, 1);
	const Perftools__Profiles__Location *loc = location(p, p->sample[0]->location_id[0]);
	ck_assert_uint_eq(loc->n_line, 1);
	ck_assert_ptr_nonnull(strstr(function_name(p, loc->line[0]->function_id),
	                             "bucket memory limit reached"));
	ck_assert_str_eq(string_at(p, p->sample_type[0]->type), "contentions");
	ck_assert_int_eq(p->sample[0]->value[0], 2);
	ck_assert_int_eq(p->sample[0]->value[1], 1000);
	profile_decoded_free(p);
}
END_TEST

START_TEST(empty_stack_is_the_unknown_function)
{
	struct bucket *b = bucket_for_stack(BUCKET_THREADCREATE, NULL, 0);
	atomic_store(&b->rec.count, 5);
	Profile *p = built(KIND_THREADCREATE, NULL);
	ck_assert_uint_eq(p->n_sample, 1);
	ck_assert_int_eq(p->sample[0]->value[0], 5);
	const Perftools__Profiles__Location *loc = location(p, p->sample[0]->location_id[0]);
	ck_assert_str_eq(function_name(p, loc->line[0]->function_id), "<unknown>");
	profile_decoded_free(p);
}
END_TEST

static __attribute__((noipa)) uintptr_t return_address(void)
{
	return (uintptr_t)__builtin_return_address(0);
}

static __attribute__((noipa)) uintptr_t site_in_this_program(void)
{
	uintptr_t ra = return_address();
	__asm__ volatile("" : "+r"(ra));
	return ra;
}

START_TEST(symbolized_locations_and_honest_mapping_flags)
{
	uintptr_t stk[1] = { site_in_this_program() };
	struct bucket *b = bucket_for_stack(BUCKET_MUTEX, stk, 1);
	atomic_store(&b->rec.block.count, EST_ONE);
	atomic_store(&b->rec.block.cycles, 42);
	symbolizer *sym = symbolizer_new();
	Profile *p = built(KIND_MUTEX, sym);
	const Perftools__Profiles__Location *loc = location(p, p->sample[0]->location_id[0]);
	ck_assert_uint_eq(loc->n_line, 1);
	ck_assert_str_eq(function_name(p, loc->line[0]->function_id), "site_in_this_program");
	ck_assert_int_gt(loc->line[0]->line, 0);
	const Perftools__Profiles__Mapping *m = NULL;
	for (size_t i = 0; i < p->n_mapping; i++)
		if (p->mapping[i]->id == loc->mapping_id)
			m = p->mapping[i];
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(strstr(string_at(p, m->filename), "test_build"));
	ck_assert(m->has_functions);
	ck_assert(m->has_filenames);
	ck_assert(m->has_line_numbers);
	/* mappings no location uses claim nothing */
	for (size_t i = 0; i < p->n_mapping; i++)
		if (p->mapping[i] != m)
			ck_assert(!p->mapping[i]->has_functions);
	ck_assert_uint_gt(p->n_mapping, 1);
	profile_decoded_free(p);
	symbolizer_free(sym);
}
END_TEST

/* A mapping with no file (anonymous executable memory, as a JIT makes)
 * has nothing anyone could name its PCs from: it says has_functions, so
 * pprof does not look for a binary and warn that it found none. */
START_TEST(a_mapping_with_no_file_says_it_is_symbolized)
{
	size_t size = 65536;
	char *code = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(code, MAP_FAILED);
	uintptr_t stk[2] = { (uintptr_t)code + 101, site_in_this_program() };
	struct bucket *b = bucket_for_stack(BUCKET_MUTEX, stk, 2);
	atomic_store(&b->rec.block.count, EST_ONE);
	symbolizer *sym = symbolizer_new();
	Profile *p = built(KIND_MUTEX, sym);
	const Perftools__Profiles__Location *loc = location(p, p->sample[0]->location_id[0]);
	ck_assert_uint_eq(loc->n_line, 0);
	const Perftools__Profiles__Mapping *m = NULL;
	for (size_t i = 0; i < p->n_mapping; i++)
		if (p->mapping[i]->id == loc->mapping_id)
			m = p->mapping[i];
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->memory_start, (uintptr_t)code);
	ck_assert_str_eq(string_at(p, m->filename), "");
	ck_assert(m->has_functions);
	ck_assert(!m->has_filenames);
	profile_decoded_free(p);
	symbolizer_free(sym);
	munmap(code, size);
}
END_TEST

/* A PC in many stacks is one location, symbolized once: 3000 stacks of a
 * distinct fake leaf over one real frame make 3001 locations, and every
 * sample's caller is the same, named one. */
START_TEST(shared_frames_are_one_location)
{
	enum { NSTACKS = 3000 };
	uintptr_t site = site_in_this_program();
	for (uintptr_t k = 0; k < NSTACKS; k++) {
		uintptr_t stk[2] = { 0x100001 + 16 * k, site };
		struct bucket *b = bucket_for_stack(BUCKET_MUTEX, stk, 2);
		atomic_store(&b->rec.block.count, EST_ONE);
		atomic_store(&b->rec.block.cycles, 42);
	}
	symbolizer *sym = symbolizer_new();
	Profile *p = built(KIND_MUTEX, sym);
	ck_assert_uint_eq(p->n_sample, NSTACKS);
	ck_assert_uint_eq(p->n_location, NSTACKS + 1);
	uint64_t caller = p->sample[0]->location_id[1];
	for (size_t i = 0; i < p->n_sample; i++) {
		ck_assert_uint_eq(p->sample[i]->n_location_id, 2);
		ck_assert_uint_eq(p->sample[i]->location_id[1], caller);
		ck_assert_uint_ne(p->sample[i]->location_id[0], caller);
	}
	const Perftools__Profiles__Location *loc = location(p, caller);
	ck_assert_uint_eq(loc->address, site - 1);
	ck_assert_str_eq(function_name(p, loc->line[0]->function_id), "site_in_this_program");
	profile_decoded_free(p);
	symbolizer_free(sym);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("build");
	TCase *tc = tcase_create("build");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, heap_profile_has_gos_header_and_the_rows);
	tcase_add_test(tc, heap_kinds_drop_the_allocators_frames);
	tcase_add_test(tc, pseudo_frames_are_named_functions);
	tcase_add_test(tc, empty_stack_is_the_unknown_function);
	tcase_add_test(tc, symbolized_locations_and_honest_mapping_flags);
	tcase_add_test(tc, a_mapping_with_no_file_says_it_is_symbolized);
	tcase_add_test(tc, shared_frames_are_one_location);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
