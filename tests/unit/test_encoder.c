/*
 * test_encoder.c — Check unit tests of the encoder (src/encoder/): profiles
 * are built through profile_builder.h, written, gunzipped with zlib and
 * unpacked with protobuf-c, and every field is compared with what went in.
 * Also: deduplication and ids, argument checks (EINVAL), output errors (an
 * output that fails stops the write with its errno), the output receiving
 * the whole stream chunk by chunk, a large profile, and
 * allocation-failure injection at every allocation of a whole build and
 * write, which must be reported as ENOMEM, leave the builder usable, and
 * leak nothing.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "encoder_sys.h"
#include "profile_builder.h"
#include "profile_decode.h"
#include "profile.pb-c.h"
#include "run_suite.h"
#include "sample_wire.h"

/* ---- allocation seam: counts, injects one failure, tracks live blocks ---- */

static struct {
	long calls;         /* allocations attempted */
	long fail_at;       /* fail allocation number fail_at (1-based); 0: never */
	long fail_from;     /* fail every allocation from this number on; 0: never */
	int injected;       /* the failure has been injected */
	int reported;       /* ... and a call reported it */
	long live;          /* blocks allocated and not yet freed */
} seam;

static int should_fail_allocation(void)
{
	seam.calls++;
	if (seam.fail_from != 0 && seam.calls >= seam.fail_from)
		return 1;
	if (seam.calls != seam.fail_at)
		return 0;
	seam.injected = 1;
	return 1;
}

static void *counting_malloc(size_t size)
{
	void *p = should_fail_allocation() ? NULL : malloc(size);

	if (p != NULL)
		seam.live++;
	return p;
}

static void *counting_realloc(void *ptr, size_t size)
{
	void *p = should_fail_allocation() ? NULL : realloc(ptr, size);

	if (p != NULL && ptr == NULL)
		seam.live++;
	return p;
}

/* Also frees buffers that profile_write_buffer handed over (which a
 * caller frees with free()), so they count as freed. */
static void counting_free(void *ptr)
{
	if (ptr != NULL)
		seam.live--;
	free(ptr);
}

static long write_calls;        /* calls to the test's outputs */

static void install_counting_seams(void)
{
	memset(&seam, 0, sizeof seam);
	write_calls = 0;
	encoder_malloc = counting_malloc;
	encoder_realloc = counting_realloc;
	encoder_free = counting_free;
}

static void restore_libc_seams(void)
{
	encoder_malloc = malloc;
	encoder_realloc = realloc;
	encoder_free = free;
}

/* A call failed: that must be the injected allocation failure. Injection
 * stops, so retrying the call must now succeed. */
static int retry_after_injected_failure(void)
{
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_msg(seam.injected && !seam.reported, "failure without an injected one");
	seam.reported = 1;
	seam.fail_at = 0;
	return 1;
}

#define RETRY_ID(id, call)                                                  \
	do {                                                                \
		(id) = (call);                                              \
		if ((id) == 0 && retry_after_injected_failure()) {          \
			(id) = (call);                                      \
			ck_assert_uint_ne((id), 0);                         \
		}                                                           \
	} while (0)

#define RETRY_RC(call)                                                      \
	do {                                                                \
		if ((call) < 0 && retry_after_injected_failure())           \
			ck_assert_int_eq((call), 0);                        \
	} while (0)

/* ---- reading profiles back ---- */

static Profile *write_and_decode(profile_builder *pb)
{
	unsigned char *gz = NULL;
	size_t gz_len = 0;
	Profile *p;

	ck_assert_int_eq(profile_write_buffer(pb, &gz, &gz_len), 0);
	p = decode_profile(gz, gz_len);
	counting_free(gz);
	return p;
}

static unsigned char *read_file(int fd, size_t *len)
{
	off_t size = lseek(fd, 0, SEEK_END);
	unsigned char *data = malloc(size > 0 ? (size_t)size : 1);

	ck_assert_int_ge(size, 0);
	ck_assert_int_eq(pread(fd, data, (size_t)size, 0), size);
	*len = (size_t)size;
	return data;
}

static int temp_file(void)
{
	char path[] = "/tmp/test_encoder.XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	unlink(path);
	return fd;
}

/* ---- the reference profile: every field set ---- */

struct reference_ids {
	uint64_t app_mapping, libc_mapping;
	uint64_t main_fn, worker_fn, helper_fn, malloc_fn;
	uint64_t main_loc, worker_loc, malloc_loc, unsymbolized_loc;
};

static const int64_t reference_values[3][4] = {
	{ 1, 4096, 1, 4096 },
	{ -3, 0, 5, 123456789012LL },
	{ 7, 8, 9, 10 },
};

static void add_reference_header(profile_builder *pb)
{
	RETRY_RC(profile_add_sample_type(pb, "alloc_objects", "count"));
	RETRY_RC(profile_add_sample_type(pb, "alloc_space", "bytes"));
	RETRY_RC(profile_add_sample_type(pb, "inuse_objects", "count"));
	RETRY_RC(profile_add_sample_type(pb, "inuse_space", "bytes"));
	RETRY_RC(profile_set_period(pb, "space", "bytes", 524288));
	RETRY_RC(profile_set_default_sample_type(pb, "alloc_space"));
	profile_set_time(pb, 1700000000123456789LL, 5000000000LL);
	RETRY_RC(profile_add_comment(pb, "first comment"));
	RETRY_RC(profile_add_comment(pb, "#hidden comment"));
	RETRY_RC(profile_set_drop_frames(pb, "malloc|free"));
	RETRY_RC(profile_set_keep_frames(pb, "keep_me"));
}

static void add_reference_tables(profile_builder *pb, struct reference_ids *ids)
{
	const struct profile_mapping app = { 0x400000, 0x500000, 0x1000, "/usr/bin/app",
	                                     "abcdef0123", 1, 1, 1, 1 };
	const struct profile_mapping libc = { 0x7f0000000000, 0x7f0000100000, 0,
	                                      "/lib/libc.so.6", NULL, 1, 0, 0, 0 };
	struct profile_line main_line, inlined[2], malloc_line;

	RETRY_ID(ids->app_mapping, profile_add_mapping(pb, &app));
	RETRY_ID(ids->libc_mapping, profile_add_mapping(pb, &libc));
	RETRY_ID(ids->main_fn, profile_add_function(pb, "main", "main", "app.c", 10));
	RETRY_ID(ids->worker_fn, profile_add_function(pb, "worker()", "_Z6workerv", "app.c", 20));
	RETRY_ID(ids->helper_fn, profile_add_function(pb, "helper", "helper", "helper.h", 5));
	RETRY_ID(ids->malloc_fn, profile_add_function(pb, "malloc", "malloc", NULL, 0));
	main_line = (struct profile_line){ ids->main_fn, 15 };
	inlined[0] = (struct profile_line){ ids->helper_fn, 7 };
	inlined[1] = (struct profile_line){ ids->worker_fn, 25 };
	malloc_line = (struct profile_line){ ids->malloc_fn, 0 };
	RETRY_ID(ids->main_loc, profile_add_location(pb, ids->app_mapping, 0x401000, &main_line, 1));
	RETRY_ID(ids->worker_loc, profile_add_location(pb, ids->app_mapping, 0x402000, inlined, 2));
	RETRY_ID(ids->malloc_loc,
	         profile_add_location(pb, ids->libc_mapping, 0x7f0000001234, &malloc_line, 1));
	RETRY_ID(ids->unsymbolized_loc, profile_add_location(pb, 0, 0x1234, NULL, 0));
}

static void add_reference_samples(profile_builder *pb, const struct reference_ids *ids)
{
	const uint64_t stack1[] = { ids->malloc_loc, ids->worker_loc, ids->main_loc };
	const uint64_t stack2[] = { ids->worker_loc, ids->main_loc };
	const uint64_t stack3[] = { ids->unsymbolized_loc };
	const struct profile_label labels1[] = {
		{ "bytes", NULL, 4096, NULL },
		{ "thread", "worker-1", 0, NULL },
	};
	const struct profile_label labels2[] = { { "request", NULL, 0, "bytes" } };

	RETRY_RC(profile_add_sample(pb, stack1, 3, reference_values[0], 4, labels1, 2));
	RETRY_RC(profile_add_sample(pb, stack2, 2, reference_values[1], 4, labels2, 1));
	RETRY_RC(profile_add_sample(pb, stack3, 1, reference_values[2], 4, NULL, 0));
}

static profile_builder *build_reference(struct reference_ids *ids)
{
	profile_builder *pb = profile_builder_new();

	if (pb == NULL && retry_after_injected_failure())
		pb = profile_builder_new();
	ck_assert_ptr_nonnull(pb);
	add_reference_header(pb);
	add_reference_tables(pb, ids);
	add_reference_samples(pb, ids);
	return pb;
}

static void check_reference_header(const Profile *p)
{
	static const char *const types[4][2] = {
		{ "alloc_objects", "count" }, { "alloc_space", "bytes" },
		{ "inuse_objects", "count" }, { "inuse_space", "bytes" },
	};
	size_t i;

	ck_assert_uint_eq(p->n_sample_type, 4);
	for (i = 0; i < 4; i++) {
		ck_assert_str_eq(string_at(p, p->sample_type[i]->type), types[i][0]);
		ck_assert_str_eq(string_at(p, p->sample_type[i]->unit), types[i][1]);
	}
	ck_assert_ptr_nonnull(p->period_type);
	ck_assert_str_eq(string_at(p, p->period_type->type), "space");
	ck_assert_str_eq(string_at(p, p->period_type->unit), "bytes");
	ck_assert_int_eq(p->period, 524288);
	ck_assert_str_eq(string_at(p, p->default_sample_type), "alloc_space");
	ck_assert_int_eq(p->time_nanos, 1700000000123456789LL);
	ck_assert_int_eq(p->duration_nanos, 5000000000LL);
	ck_assert_uint_eq(p->n_comment, 2);
	ck_assert_str_eq(string_at(p, p->comment[0]), "first comment");
	ck_assert_str_eq(string_at(p, p->comment[1]), "#hidden comment");
	ck_assert_str_eq(string_at(p, p->drop_frames), "malloc|free");
	ck_assert_str_eq(string_at(p, p->keep_frames), "keep_me");
}

static void check_string_table(const Profile *p)
{
	size_t i, j;

	ck_assert_uint_ge(p->n_string_table, 1);
	ck_assert_str_eq(p->string_table[0], "");
	for (i = 0; i < p->n_string_table; i++)
		for (j = i + 1; j < p->n_string_table; j++)
			ck_assert_str_ne(p->string_table[i], p->string_table[j]);
}

static void check_mapping(const Profile *p, size_t i, uint64_t start, uint64_t limit,
                          uint64_t offset, const char *file, const char *build_id,
                          int flags[4])
{
	const Perftools__Profiles__Mapping *m = p->mapping[i];

	ck_assert_uint_eq(m->id, i + 1);
	ck_assert_uint_eq(m->memory_start, start);
	ck_assert_uint_eq(m->memory_limit, limit);
	ck_assert_uint_eq(m->file_offset, offset);
	ck_assert_str_eq(string_at(p, m->filename), file);
	ck_assert_str_eq(string_at(p, m->build_id), build_id);
	ck_assert_int_eq(m->has_functions, flags[0]);
	ck_assert_int_eq(m->has_filenames, flags[1]);
	ck_assert_int_eq(m->has_line_numbers, flags[2]);
	ck_assert_int_eq(m->has_inline_frames, flags[3]);
}

static void check_function(const Profile *p, uint64_t id, const char *name,
                           const char *system_name, const char *file, int64_t start_line)
{
	const Perftools__Profiles__Function *f = p->function[id - 1];

	ck_assert_uint_eq(f->id, id);
	ck_assert_str_eq(string_at(p, f->name), name);
	ck_assert_str_eq(string_at(p, f->system_name), system_name);
	ck_assert_str_eq(string_at(p, f->filename), file);
	ck_assert_int_eq(f->start_line, start_line);
}

static void check_location(const Profile *p, uint64_t id, uint64_t mapping_id,
                           uint64_t address, const struct profile_line *lines, size_t nlines)
{
	const Perftools__Profiles__Location *l = p->location[id - 1];
	size_t i;

	ck_assert_uint_eq(l->id, id);
	ck_assert_uint_eq(l->mapping_id, mapping_id);
	ck_assert_uint_eq(l->address, address);
	ck_assert_uint_eq(l->n_line, nlines);
	for (i = 0; i < nlines; i++) {
		ck_assert_uint_eq(l->line[i]->function_id, lines[i].function_id);
		ck_assert_int_eq(l->line[i]->line, lines[i].line);
	}
}

static void check_reference_tables(const Profile *p, const struct reference_ids *ids)
{
	int all_flags[4] = { 1, 1, 1, 1 }, functions_only[4] = { 1, 0, 0, 0 };
	const struct profile_line main_line = { ids->main_fn, 15 };
	const struct profile_line inlined[2] = { { ids->helper_fn, 7 }, { ids->worker_fn, 25 } };
	const struct profile_line malloc_line = { ids->malloc_fn, 0 };

	ck_assert_uint_eq(p->n_mapping, 2);
	check_mapping(p, 0, 0x400000, 0x500000, 0x1000, "/usr/bin/app", "abcdef0123", all_flags);
	check_mapping(p, 1, 0x7f0000000000, 0x7f0000100000, 0, "/lib/libc.so.6", "",
	              functions_only);
	ck_assert_uint_eq(p->n_function, 4);
	check_function(p, ids->main_fn, "main", "main", "app.c", 10);
	check_function(p, ids->worker_fn, "worker()", "_Z6workerv", "app.c", 20);
	check_function(p, ids->helper_fn, "helper", "helper", "helper.h", 5);
	check_function(p, ids->malloc_fn, "malloc", "malloc", "", 0);
	ck_assert_uint_eq(p->n_location, 4);
	check_location(p, ids->main_loc, ids->app_mapping, 0x401000, &main_line, 1);
	check_location(p, ids->worker_loc, ids->app_mapping, 0x402000, inlined, 2);
	check_location(p, ids->malloc_loc, ids->libc_mapping, 0x7f0000001234, &malloc_line, 1);
	check_location(p, ids->unsymbolized_loc, 0, 0x1234, NULL, 0);
}

static void check_label(const Profile *p, const Perftools__Profiles__Label *l, const char *key,
                        const char *str, int64_t num, const char *num_unit)
{
	ck_assert_str_eq(string_at(p, l->key), key);
	ck_assert_str_eq(string_at(p, l->str), str);
	ck_assert_int_eq(l->num, num);
	ck_assert_str_eq(string_at(p, l->num_unit), num_unit);
}

static void check_sample(const Profile *p, size_t i, const uint64_t *stack, size_t depth)
{
	const Perftools__Profiles__Sample *s = p->sample[i];
	size_t j;

	ck_assert_uint_eq(s->n_location_id, depth);
	for (j = 0; j < depth; j++)
		ck_assert_uint_eq(s->location_id[j], stack[j]);
	ck_assert_uint_eq(s->n_value, 4);
	for (j = 0; j < 4; j++)
		ck_assert_int_eq(s->value[j], reference_values[i][j]);
}

static void check_reference_samples(const Profile *p, const struct reference_ids *ids)
{
	const uint64_t stack1[] = { ids->malloc_loc, ids->worker_loc, ids->main_loc };
	const uint64_t stack2[] = { ids->worker_loc, ids->main_loc };
	const uint64_t stack3[] = { ids->unsymbolized_loc };

	ck_assert_uint_eq(p->n_sample, 3);
	check_sample(p, 0, stack1, 3);
	check_sample(p, 1, stack2, 2);
	check_sample(p, 2, stack3, 1);
	ck_assert_uint_eq(p->sample[0]->n_label, 2);
	check_label(p, p->sample[0]->label[0], "bytes", "", 4096, "");
	check_label(p, p->sample[0]->label[1], "thread", "worker-1", 0, "");
	ck_assert_uint_eq(p->sample[1]->n_label, 1);
	check_label(p, p->sample[1]->label[0], "request", "", 0, "bytes");
	ck_assert_uint_eq(p->sample[2]->n_label, 0);
}

static void check_reference(const Profile *p, const struct reference_ids *ids)
{
	check_string_table(p);
	check_reference_header(p);
	check_reference_tables(p, ids);
	check_reference_samples(p, ids);
}

/* ---- round trip, dedup, ids ---- */

START_TEST(round_trip_keeps_every_field)
{
	struct reference_ids ids;
	profile_builder *pb = build_reference(&ids);
	Profile *p;

	ck_assert_uint_eq(profile_sample_count(pb), 3);
	p = write_and_decode(pb);
	check_reference(p, &ids);
	perftools__profiles__profile__free_unpacked(p, NULL);
	profile_builder_free(pb);
	ck_assert_int_eq(seam.live, 0);
}
END_TEST

START_TEST(strings_are_interned_once)
{
	profile_builder *pb = profile_builder_new();
	int64_t a = profile_intern(pb, "alpha");

	ck_assert_int_eq(profile_intern(pb, NULL), 0);
	ck_assert_int_eq(profile_intern(pb, ""), 0);
	ck_assert_int_eq(a, 1);
	ck_assert_int_eq(profile_intern(pb, "beta"), 2);
	ck_assert_int_eq(profile_intern(pb, "alpha"), a);
	ck_assert_int_eq(profile_intern(pb, "alph"), 3);
	profile_builder_free(pb);
}
END_TEST

/* The builder remembers the last string by the caller's pointer: a buffer
 * the caller rewrites between calls is still interned by its text. */
START_TEST(a_rewritten_buffer_is_interned_by_its_text)
{
	profile_builder *pb = profile_builder_new();
	char text[8] = "key";

	ck_assert_int_eq(profile_intern(pb, text), 1);
	ck_assert_int_eq(profile_intern(pb, text), 1);
	strcpy(text, "other");
	ck_assert_int_eq(profile_intern(pb, text), 2);
	strcpy(text, "key");
	ck_assert_int_eq(profile_intern(pb, text), 1);
	profile_builder_free(pb);
}
END_TEST

START_TEST(equal_content_gives_the_same_id)
{
	profile_builder *pb = profile_builder_new();
	struct profile_mapping m = { 0x1000, 0x2000, 0, "/bin/x", "id", 1, 1, 0, 0 };
	uint64_t m1 = profile_add_mapping(pb, &m);
	uint64_t f1 = profile_add_function(pb, "f", "f", "f.c", 1);
	uint64_t f2 = profile_add_function(pb, "g", "g", "f.c", 1);
	struct profile_line lines[2] = { { f1, 3 }, { f2, 4 } };
	uint64_t l1 = profile_add_location(pb, m1, 0x1010, lines, 2);

	ck_assert_uint_eq(m1, 1);
	ck_assert_uint_eq(profile_add_mapping(pb, &m), m1);
	ck_assert_uint_eq(f1, 1);
	ck_assert_uint_eq(f2, 2);
	ck_assert_uint_eq(profile_add_function(pb, "f", "f", "f.c", 1), f1);
	ck_assert_uint_eq(l1, 1);
	ck_assert_uint_eq(profile_add_location(pb, m1, 0x1010, lines, 2), l1);
	ck_assert_uint_eq(profile_add_location(pb, m1, 0x1010, lines, 1), 2);
	ck_assert_uint_eq(profile_add_location(pb, 0, 0x1010, lines, 2), 3);
	lines[1].line = 5;
	ck_assert_uint_eq(profile_add_location(pb, m1, 0x1010, lines, 2), 4);
	ck_assert_uint_eq(profile_add_function(pb, "f", "f", "f.c", 2), 3);
	ck_assert_uint_eq(profile_add_function(pb, "f", "F", "f.c", 1), 4);
	m.has_inline_frames = 1;
	ck_assert_uint_eq(profile_add_mapping(pb, &m), 2);
	m.has_inline_frames = 0;
	m.build_id = NULL;
	ck_assert_uint_eq(profile_add_mapping(pb, &m), 3);
	profile_builder_free(pb);
}
END_TEST

/* Many distinct entries: ids stay dense and dedup still finds each one
 * after the hash indexes have grown many times. */
START_TEST(ids_are_dense_after_growth)
{
	profile_builder *pb = profile_builder_new();
	char name[32];
	uint64_t i;

	for (i = 1; i <= 5000; i++) {
		snprintf(name, sizeof name, "fn_%lu", (unsigned long)i);
		ck_assert_uint_eq(profile_add_function(pb, name, name, "x.c", 0), i);
		ck_assert_uint_eq(profile_add_location(pb, 0, i * 16, NULL, 0), i);
	}
	for (i = 1; i <= 5000; i++) {
		snprintf(name, sizeof name, "fn_%lu", (unsigned long)i);
		ck_assert_uint_eq(profile_add_function(pb, name, name, "x.c", 0), i);
		ck_assert_uint_eq(profile_add_location(pb, 0, i * 16, NULL, 0), i);
	}
	profile_builder_free(pb);
}
END_TEST

/* ---- argument checks ---- */

START_TEST(wrong_value_count_is_einval)
{
	profile_builder *pb = profile_builder_new();
	uint64_t loc = profile_add_location(pb, 0, 0x10, NULL, 0);
	const int64_t values[3] = { 1, 2, 3 };

	ck_assert_int_eq(profile_add_sample_type(pb, "a", "count"), 0);
	ck_assert_int_eq(profile_add_sample_type(pb, "b", "bytes"), 0);
	errno = 0;
	ck_assert_int_eq(profile_add_sample(pb, &loc, 1, values, 3, NULL, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(profile_add_sample(pb, &loc, 1, values, 1, NULL, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(profile_sample_count(pb), 0);
	ck_assert_int_eq(profile_add_sample(pb, &loc, 1, values, 2, NULL, 0), 0);
	ck_assert_uint_eq(profile_sample_count(pb), 1);
	errno = 0;
	ck_assert_int_eq(profile_add_sample_type(pb, "late", "count"), -1);
	ck_assert_int_eq(errno, EINVAL);
	profile_builder_free(pb);
}
END_TEST

START_TEST(dangling_ids_are_einval)
{
	profile_builder *pb = profile_builder_new();
	const struct profile_line unknown_function = { 7, 1 };
	const struct profile_label no_key = { NULL, "v", 0, NULL };
	uint64_t unknown_location = 5;
	int64_t value = 1;

	ck_assert_int_eq(profile_add_sample_type(pb, "a", "count"), 0);
	errno = 0;
	ck_assert_uint_eq(profile_add_location(pb, 3, 0x10, NULL, 0), 0);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_uint_eq(profile_add_location(pb, 0, 0x10, &unknown_function, 1), 0);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(profile_add_sample(pb, &unknown_location, 1, &value, 1, NULL, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	unknown_location = profile_add_location(pb, 0, 0x10, NULL, 0);
	errno = 0;
	ck_assert_int_eq(profile_add_sample(pb, &unknown_location, 1, &value, 1, &no_key, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_uint_eq(profile_add_mapping(pb, NULL), 0);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(profile_sample_count(pb), 0);
	profile_builder_free(pb);
}
END_TEST

START_TEST(profile_without_samples_round_trips)
{
	profile_builder *pb = profile_builder_new();
	Profile *p;

	ck_assert_int_eq(profile_add_sample_type(pb, "samples", "count"), 0);
	ck_assert_int_eq(profile_add_sample_type(pb, "cpu", "nanoseconds"), 0);
	p = write_and_decode(pb);
	ck_assert_uint_eq(p->n_sample, 0);
	ck_assert_uint_eq(p->n_sample_type, 2);
	ck_assert_str_eq(string_at(p, p->sample_type[1]->type), "cpu");
	ck_assert_ptr_null(p->period_type);
	ck_assert_uint_eq(p->n_string_table, 5);
	perftools__profiles__profile__free_unpacked(p, NULL);
	profile_builder_free(pb);
}
END_TEST

/* ---- writing ---- */

/* A profile of n samples with pseudo-random values, so that its gzip output
 * spans several of the sink's 64 KiB chunks. */
static profile_builder *build_noisy_profile(size_t n)
{
	profile_builder *pb = profile_builder_new();
	uint64_t fn = profile_add_function(pb, "noisy", "noisy", "noisy.c", 1);
	uint64_t state = 12345;
	size_t i;

	profile_add_sample_type(pb, "samples", "count");
	profile_add_sample_type(pb, "cpu", "nanoseconds");
	for (i = 0; i < n; i++) {
		const struct profile_line line = { fn, (int64_t)(i % 1000) };
		uint64_t loc = profile_add_location(pb, 0, 0x400000 + i, &line, 1);
		int64_t values[2];

		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		values[0] = (int64_t)(state >> 1);
		values[1] = (int64_t)(state >> 9);
		ck_assert_int_eq(profile_add_sample(pb, &loc, 1, values, 2, NULL, 0), 0);
	}
	return pb;
}

static unsigned char *profile_bytes(profile_builder *pb, size_t *len)
{
	unsigned char *gz;
	size_t gz_len;
	unsigned char *raw;

	ck_assert_int_eq(profile_write_buffer(pb, &gz, &gz_len), 0);
	raw = gunzip(gz, gz_len, len);
	counting_free(gz);
	return raw;
}

/* An output that appends to the file *(int *)fd and counts its calls. */
static int file_output(void *fd, const void *bytes, size_t len)
{
	write_calls++;
	return write(*(int *)fd, bytes, len) == (ssize_t)len ? 0 : -1;
}

START_TEST(output_gets_the_whole_stream_in_chunks)
{
	profile_builder *pb = build_noisy_profile(20000);
	int fd = temp_file();
	size_t expected_len, file_len, raw_len;
	unsigned char *expected = profile_bytes(pb, &expected_len);
	unsigned char *file, *raw;

	ck_assert_int_eq(profile_write(pb, file_output, &fd), 0);
	file = read_file(fd, &file_len);
	ck_assert_uint_gt(file_len, 3 * 65536);
	ck_assert_int_gt(write_calls, 3);   /* one call per 64 KiB chunk */
	raw = gunzip(file, file_len, &raw_len);
	ck_assert_uint_eq(raw_len, expected_len);
	ck_assert_mem_eq(raw, expected, raw_len);
	free(raw);
	free(file);
	free(expected);
	close(fd);
	profile_builder_free(pb);
}
END_TEST

static int output_fails_ebadf(void *ctx, const void *bytes, size_t len)
{
	(void)ctx, (void)bytes, (void)len;
	errno = EBADF;
	return -1;
}

START_TEST(failing_output_stops_the_write_with_its_errno)
{
	profile_builder *pb = build_noisy_profile(10);

	errno = 0;
	ck_assert_int_eq(profile_write(pb, output_fails_ebadf, NULL), -1);
	ck_assert_int_eq(errno, EBADF);
	errno = 0;
	ck_assert_int_eq(profile_write(pb, NULL, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	profile_builder_free(pb);
	ck_assert_int_eq(seam.live, 0);
}
END_TEST

static int disk_full_on_second_output(void *fd, const void *bytes, size_t len)
{
	if (++write_calls == 2) {
		errno = ENOSPC;
		return -1;
	}
	return write(*(int *)fd, bytes, len) == (ssize_t)len ? 0 : -1;
}

START_TEST(output_error_is_reported_with_its_errno)
{
	profile_builder *pb = build_noisy_profile(20000);
	int fd = temp_file();

	errno = 0;
	ck_assert_int_eq(profile_write(pb, disk_full_on_second_output, &fd), -1);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(write_calls, 2);
	close(fd);
	profile_builder_free(pb);
	ck_assert_int_eq(seam.live, 0);
}
END_TEST

/* 1M distinct locations and 100k samples: only feasible if nothing scans. */
START_TEST(large_profile_round_trips)
{
	profile_builder *pb = profile_builder_new();
	uint64_t fn = profile_add_function(pb, "leaf", "leaf", "leaf.c", 1);
	uint64_t stack[10];
	int64_t value;
	Profile *p;
	size_t i, j;

	ck_assert_int_eq(profile_add_sample_type(pb, "samples", "count"), 0);
	for (i = 0; i < 100000; i++) {
		for (j = 0; j < 10; j++) {
			const struct profile_line line = { fn, (int64_t)j };

			stack[j] = profile_add_location(pb, 0, 0x10000000 + i * 10 + j, &line, 1);
			ck_assert_uint_eq(stack[j], i * 10 + j + 1);
		}
		value = (int64_t)i;
		ck_assert_int_eq(profile_add_sample(pb, stack, 10, &value, 1, NULL, 0), 0);
	}
	p = write_and_decode(pb);
	ck_assert_uint_eq(p->n_location, 1000000);
	ck_assert_uint_eq(p->n_sample, 100000);
	ck_assert_uint_eq(p->location[999999]->id, 1000000);
	ck_assert_uint_eq(p->location[999999]->address, 0x10000000 + 999999);
	ck_assert_int_eq(p->sample[99999]->value[0], 99999);
	ck_assert_uint_eq(p->sample[99999]->location_id[9], 1000000);
	perftools__profiles__profile__free_unpacked(p, NULL);
	profile_builder_free(pb);
}
END_TEST

/* The largest block the encoder asked for (sizing seams). */
static size_t largest_request;

static void *sizing_malloc(size_t size)
{
	largest_request = size > largest_request ? size : largest_request;
	return malloc(size);
}

static void *sizing_realloc(void *ptr, size_t size)
{
	largest_request = size > largest_request ? size : largest_request;
	return realloc(ptr, size);
}

/* Samples are the bulk of a profile: the builder holds each in its wire
 * size (a location id below 128 is one byte), not as 8-byte ids and
 * records, so 10k samples of 10 frames need no block near 10k x 10 x 8. */
START_TEST(samples_are_held_in_wire_size)
{
	uint64_t stack[10];
	int64_t value = 1;
	size_t i, j;

	largest_request = 0;
	encoder_malloc = sizing_malloc;
	encoder_realloc = sizing_realloc;
	profile_builder *pb = profile_builder_new();
	uint64_t fn = profile_add_function(pb, "leaf", "leaf", "leaf.c", 1);
	ck_assert_int_eq(profile_add_sample_type(pb, "samples", "count"), 0);
	for (j = 0; j < 10; j++) {
		const struct profile_line line = { fn, (int64_t)j };
		stack[j] = profile_add_location(pb, 0, 0x1000 + j, &line, 1);
	}
	for (i = 0; i < 10000; i++)
		ck_assert_int_eq(profile_add_sample(pb, stack, 10, &value, 1, NULL, 0), 0);
	restore_libc_seams();
	ck_assert_uint_eq(profile_sample_count(pb), 10000);
	ck_assert_uint_lt(largest_request, 10000 * 10 * 4);
	Profile *p = write_and_decode(pb);
	ck_assert_uint_eq(p->n_sample, 10000);
	ck_assert_uint_eq(p->sample[9999]->n_location_id, 10);
	ck_assert_uint_eq(p->sample[9999]->location_id[9], stack[9]);
	perftools__profiles__profile__free_unpacked(p, NULL);
	profile_builder_free(pb);
}
END_TEST

/* ---- failure injection ---- */

/* Writes the profile as the only content of the file fd. */
static int write_whole_file(profile_builder *pb, int fd)
{
	ck_assert_int_eq(ftruncate(fd, 0), 0);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return profile_write(pb, file_output, &fd);
}

/* The reference profile, built and then written both to memory and to a
 * file; returns the (gunzipped) bytes of the file after checking both agree. */
static unsigned char *build_and_write_reference(size_t *len)
{
	struct reference_ids ids;
	profile_builder *pb = build_reference(&ids);
	unsigned char *gz = NULL, *file, *from_buffer, *from_file;
	size_t gz_len, file_len, buffer_len;
	int fd = temp_file();

	RETRY_RC(profile_write_buffer(pb, &gz, &gz_len));
	RETRY_RC(write_whole_file(pb, fd));
	profile_builder_free(pb);
	from_buffer = gunzip(gz, gz_len, &buffer_len);
	counting_free(gz);
	file = read_file(fd, &file_len);
	close(fd);
	from_file = gunzip(file, file_len, len);
	free(file);
	ck_assert_uint_eq(*len, buffer_len);
	ck_assert_mem_eq(from_file, from_buffer, buffer_len);
	free(from_buffer);
	return from_file;
}

START_TEST(every_failed_allocation_is_reported_and_recovered)
{
	size_t expected_len, len;
	unsigned char *expected = build_and_write_reference(&expected_len);
	long total = seam.calls, n;

	ck_assert_int_eq(seam.live, 0);
	ck_assert_int_gt(total, 20);
	for (n = 1; n <= total; n++) {
		unsigned char *got;

		memset(&seam, 0, sizeof seam);
		seam.fail_at = n;
		got = build_and_write_reference(&len);
		ck_assert_msg(seam.injected && seam.reported, "allocation %ld not reported", n);
		ck_assert_msg(seam.live == 0, "allocation %ld: %ld blocks leaked", n, seam.live);
		ck_assert_uint_eq(len, expected_len);
		ck_assert_mem_eq(got, expected, len);
		free(got);
	}
	free(expected);
}
END_TEST

/* A builder whose allocations fail from some point on can still be freed. */
START_TEST(builder_is_freeable_after_any_failure)
{
	long n;

	for (n = 1; n <= 60; n++) {
		profile_builder *pb;
		unsigned char *gz = NULL;
		size_t gz_len;

		memset(&seam, 0, sizeof seam);
		seam.fail_from = n;
		pb = profile_builder_new();
		if (pb == NULL)
			continue;
		profile_add_sample_type(pb, "a", "count");
		profile_add_function(pb, "main", "main", "m.c", 1);
		profile_add_location(pb, 0, 1, NULL, 0);
		profile_write_buffer(pb, &gz, &gz_len);
		counting_free(gz);
		profile_builder_free(pb);
		ck_assert_int_eq(seam.live, 0);
	}
}
END_TEST

/* protobuf-c's bytes for the Profile part holding one sample. */
static size_t pack_with_protobuf_c(const struct sample_wire *w, unsigned char *out)
{
	Perftools__Profiles__Label labels[4], *label_ptrs[4];
	Perftools__Profiles__Sample sample, *one = &sample;
	Perftools__Profiles__Profile part;

	perftools__profiles__sample__init(&sample);
	sample.n_location_id = w->nlocations;
	sample.location_id = (uint64_t *)w->location_ids;
	sample.n_value = w->nvalues;
	sample.value = (int64_t *)w->values;
	sample.n_label = w->nlabels;
	sample.label = label_ptrs;
	for (size_t i = 0; i < w->nlabels; i++) {
		perftools__profiles__label__init(&labels[i]);
		labels[i].key = w->labels[i].key;
		labels[i].str = w->labels[i].str;
		labels[i].num = w->labels[i].num;
		labels[i].num_unit = w->labels[i].num_unit;
		label_ptrs[i] = &labels[i];
	}
	perftools__profiles__profile__init(&part);
	part.n_sample = 1;
	part.sample = &one;
	return protobuf_c_message_pack(&part.base, out);
}

START_TEST(hand_written_samples_match_protobuf_c)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	for (int round = 0; round < 2000; round++) {
		uint64_t locs[40];
		int64_t values[4];
		struct label_record labels[4];
		struct sample_wire w = { locs, (size_t)(round % 41 == 40 ? 0 : round % 40 + 1), values,
			                 (size_t)(round % 5), labels, (size_t)(round % 3) };
		for (size_t i = 0; i < 40; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			locs[i] = x >> (x % 64);   /* every varint length */
		}
		for (size_t i = 0; i < 4; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			values[i] = i == 0 ? -(int64_t)(x % 1000) : (int64_t)(x >> (x % 64));
			labels[i] = (struct label_record){ (int64_t)(x % 7), (int64_t)(x % 3),
				                           (int64_t)(x % 5) - 2, (int64_t)(x % 2) * 9 };
		}
		unsigned char want[2048], got[2048];
		size_t n = pack_with_protobuf_c(&w, want);
		ck_assert_uint_le(n, sample_wire_bound(&w));
		ck_assert_uint_le(sample_wire_bound(&w), sizeof got);
		ck_assert_ptr_eq(sample_wire_put(&w, got), got + n);
		ck_assert_mem_eq(got, want, n);
	}
}
END_TEST

static Suite *encoder_suite(void)
{
	Suite *s = suite_create("encoder");
	TCase *api = tcase_create("api");
	TCase *io = tcase_create("io");
	TCase *faults = tcase_create("faults");
	TCase *scale = tcase_create("scale");

	tcase_add_checked_fixture(api, install_counting_seams, restore_libc_seams);
	tcase_add_test(api, round_trip_keeps_every_field);
	tcase_add_test(api, strings_are_interned_once);
	tcase_add_test(api, a_rewritten_buffer_is_interned_by_its_text);
	tcase_add_test(api, equal_content_gives_the_same_id);
	tcase_add_test(api, ids_are_dense_after_growth);
	tcase_add_test(api, wrong_value_count_is_einval);
	tcase_add_test(api, dangling_ids_are_einval);
	tcase_add_test(api, profile_without_samples_round_trips);
	tcase_add_test(api, hand_written_samples_match_protobuf_c);
	suite_add_tcase(s, api);

	tcase_add_checked_fixture(io, install_counting_seams, restore_libc_seams);
	tcase_set_timeout(io, 60);
	tcase_add_test(io, output_gets_the_whole_stream_in_chunks);
	tcase_add_test(io, failing_output_stops_the_write_with_its_errno);
	tcase_add_test(io, output_error_is_reported_with_its_errno);
	suite_add_tcase(s, io);

	tcase_add_checked_fixture(faults, install_counting_seams, restore_libc_seams);
	tcase_set_timeout(faults, 120);
	tcase_add_test(faults, every_failed_allocation_is_reported_and_recovered);
	tcase_add_test(faults, builder_is_freeable_after_any_failure);
	suite_add_tcase(s, faults);

	tcase_set_timeout(scale, 120);
	tcase_add_test(scale, large_profile_round_trips);
	tcase_add_test(scale, samples_are_held_in_wire_size);
	suite_add_tcase(s, scale);
	return s;
}

int main(void)
{
	return run_suite(encoder_suite());
}
