/*
 * test_text.c — unit tests of Go's text forms (src/report/text_forms.h,
 * heap_text.c, contention_text.c, count_text.c, thread_dump.c,
 * text_frames.c): known records give exactly Go's text, without a
 * symbolizer (`#	0x<ra-1>` alone) and, for a PC of this program, with one
 * (function+offset, file:line); the kinds table says which levels a kind
 * has: cpu none, heap 1 (debug=2 is debug=1), threads 2.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buckets.h"
#include "rates.h"
#include "program_site.h"
#include "run_suite.h"
#include "symbolize.h"
#include "text_forms.h"
#include "thread_stacks.h"

struct text_buf {
	char *p;
	size_t len;
};

static int into(void *ctx, const void *bytes, size_t len)
{
	struct text_buf *b = ctx;
	b->p = realloc(b->p, b->len + len + 1);
	memcpy(b->p + b->len, bytes, len);
	b->len += len;
	b->p[b->len] = '\0';
	return 0;
}

/* The text one writer makes (no memory map). */
static char *text_of(int (*writer)(struct text_out *, symbolizer *, enum profile_kind, int),
                     enum profile_kind kind, symbolizer *sym)
{
	static struct text_out t;
	struct text_buf b = { calloc(1, 1), 0 };
	text_out_init(&t, into, &b);
	ck_assert_int_eq(writer(&t, sym, kind, 1), 0);
	ck_assert_int_eq(text_out_finish(&t), 0);
	return b.p;
}

static struct bucket *heap_bucket(const uintptr_t *stk, size_t n, unsigned allocs,
                                  unsigned alloc_bytes, unsigned frees, unsigned free_bytes)
{
	struct bucket *b = bucket_for_stack(BUCKET_HEAP, stk, n);
	atomic_store(&b->rec.mem.allocs, allocs);
	atomic_store(&b->rec.mem.alloc_bytes, alloc_bytes);
	atomic_store(&b->rec.mem.frees, frees);
	atomic_store(&b->rec.mem.free_bytes, free_bytes);
	/* estimates unlike the raw counts: the text shows the raw ones */
	atomic_store(&b->rec.mem.est_allocs, 100 * EST_ONE);
	return b;
}

START_TEST(heap_text_is_gos_legacy_text_with_raw_counts)
{
	uintptr_t a[2] = { 0x1001, 0x2001 }, b[1] = { 0x3001 }, c[1] = { 0x4001 };
	rates_set_heap(4096);
	heap_bucket(b, 1, 2, 64, 2, 64);      /* nothing in use: listed (inuse_zero) */
	heap_bucket(a, 2, 3, 300, 1, 100);
	bucket_for_stack(BUCKET_HEAP, c, 1);  /* nothing sampled: left out */
	char *text = text_of(heap_text, KIND_HEAP, NULL);
	ck_assert_str_eq(text, "heap profile: 2: 200 [5: 364] @ heap/8192\n"
	                       "2: 200 [3: 300] @ 0x1001 0x2001\n"
	                       "#\t0x1000\n"
	                       "#\t0x2000\n"
	                       "\n"
	                       "0: 0 [2: 64] @ 0x3001\n"
	                       "#\t0x3000\n"
	                       "\n"
	                       "\n# pprof-agent: mem_rate = 4096; the counts are those sampled, not scaled\n");
	free(text);
}
END_TEST

/* As Go, alloc bytes equal to in-use bytes get 1 more in the header, so
 * pprof reads four sample types. */
START_TEST(heap_text_header_never_has_alloc_equal_to_inuse)
{
	uintptr_t a[1] = { 0x1001 };
	rates_set_heap(1);
	heap_bucket(a, 1, 1, 10, 0, 0);
	char *text = text_of(heap_text, KIND_ALLOCS, NULL);
	ck_assert_str_eq(text, "heap profile: 1: 10 [1: 11] @ heap/2\n"
	                       "1: 10 [1: 10] @ 0x1001\n"
	                       "#\t0x1000\n"
	                       "\n"
	                       "\n# pprof-agent: mem_rate = 1; the counts are those sampled, not scaled\n");
	free(text);
}
END_TEST

static void block_bucket(enum bucket_kind kind, uintptr_t pc, uint64_t count, uint64_t cycles)
{
	struct bucket *b = bucket_for_stack(kind, &pc, 1);
	atomic_store(&b->rec.block.count, count);
	atomic_store(&b->rec.block.cycles, cycles);
}

START_TEST(contention_text_is_gos_largest_delay_first)
{
	block_bucket(BUCKET_BLOCK, 0x1001, 2 * EST_ONE, 500);
	block_bucket(BUCKET_BLOCK, 0x2001, EST_ONE / 2, 900);   /* a count of at least 1 */
	char *text = text_of(contention_text, KIND_BLOCK, NULL);
	ck_assert_str_eq(text, "--- contention:\ncycles/second=1000000000\n"
	                       "900 1 @ 0x2001\n#\t0x2000\n\n"
	                       "500 2 @ 0x1001\n#\t0x1000\n\n");
	free(text);
}
END_TEST

START_TEST(mutex_text_says_its_values_are_scaled)
{
	rates_set_mutex_fraction(5);
	block_bucket(BUCKET_MUTEX, 0x1001, 10 * EST_ONE, 5000);
	char *text = text_of(contention_text, KIND_MUTEX, NULL);
	ck_assert_str_eq(text, "--- mutex:\ncycles/second=1000000000\n"
	                       "# mutex_fraction = 5: the values are already multiplied by it\n"
	                       "sampling period=1\n"
	                       "5000 10 @ 0x1001\n#\t0x1000\n\n");
	free(text);
}
END_TEST

START_TEST(count_text_is_gos_most_counted_first)
{
	uintptr_t pcs[3] = { 0x3001, 0x2001, 0x1001 };
	unsigned counts[3] = { 1, 3, 3 };
	for (int i = 0; i < 3; i++) {
		struct bucket *b = bucket_for_stack(BUCKET_THREADCREATE, &pcs[i], 1);
		atomic_store(&b->rec.count, counts[i]);
	}
	char *text = text_of(count_text, KIND_THREADCREATE, NULL);
	ck_assert_str_eq(text, "threadcreate profile: total 7\n"
	                       "3 @ 0x1001\n#\t0x1000\n\n"
	                       "3 @ 0x2001\n#\t0x2000\n\n"
	                       "1 @ 0x3001\n#\t0x3000\n\n");
	free(text);
}
END_TEST

START_TEST(thread_dump_is_one_block_per_thread)
{
	struct thread_sample s[2] = {
		{ .tid = 7, .name = "w\"x", .state = "futex", .nstk = 1, .stk = { 0x1001 } },
		{ .tid = 8, .name = "r", .state = "running" },
	};
	struct thread_list list = { s, 2, 2 };
	static struct text_out t;
	struct text_buf b = { calloc(1, 1), 0 };
	text_out_init(&t, into, &b);
	thread_dump_text(&t, NULL, &list);
	ck_assert_int_eq(text_out_finish(&t), 0);
	ck_assert_str_eq(b.p, "thread 7 \"w\\\"x\" [futex]:\n"
	                      "?(...)\n\t?:0 pc=0x1000\n"
	                      "\n"
	                      "thread 8 \"r\" [running]:\n"
	                      "\tstack unavailable: the thread is running and is never interrupted\n");
	free(b.p);
}
END_TEST

START_TEST(symbolized_frames_name_function_offset_and_line)
{
	uintptr_t pc = site_in_this_program();
	uint64_t off = pc - 1 - (uintptr_t)site_in_this_program;
	block_bucket(BUCKET_BLOCK, pc, EST_ONE, 7);
	symbolizer *sym = symbolizer_new();
	symbolizer_refresh(sym);
	char *text = text_of(contention_text, KIND_BLOCK, sym);
	char want[256];
	snprintf(want, sizeof want, "#\t%#lx\tsite_in_this_program+%#lx\t", (unsigned long)(pc - 1),
	         (unsigned long)off);
	ck_assert_ptr_nonnull(strstr(text, want));
	ck_assert_ptr_nonnull(strstr(text, "program_site.h:"));
	free(text);
	struct thread_sample s = { .tid = 9, .name = "n", .state = "poll", .nstk = 1, .stk = { pc } };
	struct thread_list list = { &s, 1, 1 };
	static struct text_out t;
	struct text_buf b = { calloc(1, 1), 0 };
	text_out_init(&t, into, &b);
	thread_dump_text(&t, sym, &list);
	ck_assert_int_eq(text_out_finish(&t), 0);
	snprintf(want, sizeof want, " +%#lx\n", (unsigned long)off);
	ck_assert_ptr_nonnull(strstr(b.p, "thread 9 \"n\" [poll]:\nsite_in_this_program(...)\n\t"));
	ck_assert_ptr_nonnull(strstr(b.p, want));
	free(b.p);
	symbolizer_free(sym);
}
END_TEST

START_TEST(the_kinds_table_says_which_levels_a_kind_has)
{
	struct text_buf b = { calloc(1, 1), 0 };
	errno = 0;
	ck_assert_int_eq(profile_text_write(KIND_CPU, 1, NULL, into, &b), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(profile_text_write(KIND_HEAP, 0, NULL, into, &b), -1);
	ck_assert_int_eq(profile_kinds[KIND_HEAP].max_debug, 1);
	ck_assert_int_eq(profile_kinds[KIND_THREADS].max_debug, 2);
	ck_assert_int_eq(profile_text_write(KIND_HEAP, 2, NULL, into, &b), 0);
	ck_assert_ptr_nonnull(strstr(b.p, "heap profile: "));
	ck_assert_ptr_nonnull(strstr(b.p, "\n--- Memory map: ---\n"));
	free(b.p);
}
END_TEST

/* A line longer than the buffer (a long C++ name), and lines that
 * straddle its end, come out whole. */
START_TEST(long_lines_are_never_cut)
{
	static char name[20000];
	memset(name, 'n', sizeof name - 1);
	static struct text_out t;
	struct text_buf b = { calloc(1, 1), 0 };
	text_out_init(&t, into, &b);
	for (int i = 0; i < 3000; i++)
		text_printf(&t, "%d\n", i);
	text_printf(&t, "<%s>\n", name);
	text_printf(&t, "end\n");
	ck_assert_int_eq(text_out_finish(&t), 0);
	ck_assert_uint_eq(b.len, 13890 + 1 + (sizeof name - 1) + 2 + 4);
	ck_assert_ptr_nonnull(strstr(b.p, "2999\n<nnn"));
	ck_assert_ptr_nonnull(strstr(b.p, "nnn>\nend\n"));
	free(b.p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("text");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, heap_text_is_gos_legacy_text_with_raw_counts);
	tcase_add_test(tc, heap_text_header_never_has_alloc_equal_to_inuse);
	tcase_add_test(tc, contention_text_is_gos_largest_delay_first);
	tcase_add_test(tc, mutex_text_says_its_values_are_scaled);
	tcase_add_test(tc, count_text_is_gos_most_counted_first);
	tcase_add_test(tc, thread_dump_is_one_block_per_thread);
	tcase_add_test(tc, symbolized_frames_name_function_offset_and_line);
	tcase_add_test(tc, the_kinds_table_says_which_levels_a_kind_has);
	tcase_add_test(tc, long_lines_are_never_cut);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
