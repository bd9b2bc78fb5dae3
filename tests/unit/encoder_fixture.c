/*
 * encoder_fixture.c — writes the profiles that tests/e2e_encoder.sh reads
 * with go tool pprof, through the encoder's public API only:
 *   full.pb.gz       every header field, two mappings, inline frames, string
 *                    and numeric labels, and a frame cut by drop_frames;
 *   nosamples.pb.gz  sample types and a period but no samples;
 *   big.pb.gz        100k CPU-style samples over a synthetic call tree.
 * The numbers and names it uses are the ones the script greps for.
 *
 * Usage: encoder_fixture OUTPUT_DIR
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile_builder.h"

#define BIG_SAMPLES 100000
#define BIG_FUNCTIONS 200
#define CPU_PERIOD 10000000      /* 100 Hz, in ns */

static void die(const char *what)
{
	fprintf(stderr, "encoder_fixture: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t need_id(uint64_t id, const char *what)
{
	if (id == 0)
		die(what);
	return id;
}

static void need_ok(int rc, const char *what)
{
	if (rc != 0)
		die(what);
}

/* ---- full.pb.gz ---- */

struct full_ids {
	uint64_t app, libc;
	uint64_t main_fn, worker_fn, helper_fn, malloc_fn, dropped_fn;
	uint64_t main_loc, worker_loc, malloc_loc, dropped_loc;
};

static void add_full_header(profile_builder *pb)
{
	need_ok(profile_add_sample_type(pb, "alloc_objects", "count"), "sample type");
	need_ok(profile_add_sample_type(pb, "alloc_space", "bytes"), "sample type");
	need_ok(profile_add_sample_type(pb, "inuse_objects", "count"), "sample type");
	need_ok(profile_add_sample_type(pb, "inuse_space", "bytes"), "sample type");
	need_ok(profile_set_period(pb, "space", "bytes", 524288), "period");
	need_ok(profile_set_default_sample_type(pb, "alloc_space"), "default sample type");
	profile_set_time(pb, 1700000000000000000LL, 2500000000LL);
	need_ok(profile_add_comment(pb, "fixture comment shown"), "comment");
	need_ok(profile_add_comment(pb, "#fixture comment hidden"), "comment");
	need_ok(profile_set_drop_frames(pb, "fixture_dropped_frame"), "drop_frames");
	need_ok(profile_set_keep_frames(pb, "fixture_kept_frame"), "keep_frames");
}

static void add_full_tables(profile_builder *pb, struct full_ids *ids)
{
	const struct profile_mapping app = { 0x555555554000, 0x555555600000, 0x1000,
	                                     "/usr/bin/fixture-app", "f1e2d3c4b5a69788", 1, 1, 1, 1 };
	const struct profile_mapping libc = { 0x7ffff7c00000, 0x7ffff7d80000, 0x28000,
	                                      "/lib/x86_64-linux-gnu/libc.so.6", NULL, 1, 1, 1, 0 };
	struct profile_line line, inlined[2];

	ids->app = need_id(profile_add_mapping(pb, &app), "mapping");
	ids->libc = need_id(profile_add_mapping(pb, &libc), "mapping");
	ids->main_fn = need_id(profile_add_function(pb, "fixture_main", "fixture_main",
	                                            "fixture.c", 40), "function");
	ids->worker_fn = need_id(profile_add_function(pb, "fixture_worker(int)", "_Z14fixture_workeri",
	                                              "fixture.c", 20), "function");
	ids->helper_fn = need_id(profile_add_function(pb, "fixture_inlined_helper",
	                                              "fixture_inlined_helper", "helper.h", 5),
	                         "function");
	ids->malloc_fn = need_id(profile_add_function(pb, "malloc", "malloc", "malloc.c", 0),
	                         "function");
	ids->dropped_fn = need_id(profile_add_function(pb, "fixture_dropped_frame",
	                                               "fixture_dropped_frame", "fixture.c", 60),
	                          "function");
	line = (struct profile_line){ ids->main_fn, 45 };
	ids->main_loc = need_id(profile_add_location(pb, ids->app, 0x555555555123, &line, 1),
	                        "location");
	inlined[0] = (struct profile_line){ ids->helper_fn, 7 };
	inlined[1] = (struct profile_line){ ids->worker_fn, 25 };
	ids->worker_loc = need_id(profile_add_location(pb, ids->app, 0x555555555456, inlined, 2),
	                          "location");
	line = (struct profile_line){ ids->malloc_fn, 0 };
	ids->malloc_loc = need_id(profile_add_location(pb, ids->libc, 0x7ffff7c12345, &line, 1),
	                          "location");
	line = (struct profile_line){ ids->dropped_fn, 61 };
	ids->dropped_loc = need_id(profile_add_location(pb, ids->app, 0x555555555789, &line, 1),
	                           "location");
}

static void add_full_samples(profile_builder *pb, const struct full_ids *ids)
{
	const uint64_t malloc_stack[] = { ids->malloc_loc, ids->worker_loc, ids->main_loc };
	const uint64_t worker_stack[] = { ids->worker_loc, ids->main_loc };
	const uint64_t dropped_stack[] = { ids->dropped_loc, ids->main_loc };
	const int64_t malloc_values[] = { 4242, 4448256, 17, 1048576 };
	const int64_t worker_values[] = { 1111, 555500, 3, 3072 };
	const int64_t dropped_values[] = { 7, 777, 0, 0 };
	const struct profile_label malloc_labels[] = {
		{ "bytes", NULL, 1048, NULL },
		{ "thread", "fixture-worker-1", 0, NULL },
	};
	const struct profile_label worker_labels[] = { { "request", NULL, 185, "bytes" } };

	need_ok(profile_add_sample(pb, malloc_stack, 3, malloc_values, 4, malloc_labels, 2),
	        "sample");
	need_ok(profile_add_sample(pb, worker_stack, 2, worker_values, 4, worker_labels, 1),
	        "sample");
	need_ok(profile_add_sample(pb, dropped_stack, 2, dropped_values, 4, NULL, 0), "sample");
}

static void build_full(profile_builder *pb)
{
	struct full_ids ids;

	add_full_header(pb);
	add_full_tables(pb, &ids);
	add_full_samples(pb, &ids);
}

/* ---- nosamples.pb.gz ---- */

static void build_without_samples(profile_builder *pb)
{
	const struct profile_mapping app = { 0x400000, 0x401000, 0, "/usr/bin/fixture-idle", NULL,
	                                     1, 1, 1, 0 };

	need_ok(profile_add_sample_type(pb, "contentions", "count"), "sample type");
	need_ok(profile_add_sample_type(pb, "delay", "nanoseconds"), "sample type");
	need_ok(profile_set_period(pb, "contentions", "count", 1), "period");
	profile_set_time(pb, 1700000000000000000LL, 0);
	need_id(profile_add_mapping(pb, &app), "mapping");
}

/* ---- big.pb.gz ---- */

static uint64_t next_random(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 33;
}

static void add_big_functions(profile_builder *pb, uint64_t *functions)
{
	char name[64];
	size_t i;

	functions[0] = need_id(profile_add_function(pb, "big_root", "big_root", "big.c", 1),
	                       "function");
	for (i = 1; i < BIG_FUNCTIONS; i++) {
		snprintf(name, sizeof name, "big_fn_%03zu", i);
		functions[i] = need_id(profile_add_function(pb, name, name, "big.c", (int64_t)i * 10),
		                       "function");
	}
}

/* A stack of 5..20 frames from big_root down a random path; leaf first.
 * Frame addresses depend on function and caller, as real return addresses do. */
static size_t random_stack(profile_builder *pb, uint64_t mapping, const uint64_t *functions,
                           uint64_t *state, uint64_t *stack)
{
	size_t depth = 5 + next_random(state) % 16;
	size_t caller = 0, fn = 0, i;

	for (i = 0; i < depth; i++) {
		struct profile_line line;

		fn = i == 0 ? 0 : 1 + (caller * 7 + next_random(state) % 5) % (BIG_FUNCTIONS - 1);
		line = (struct profile_line){ functions[fn], (int64_t)(fn * 10 + caller % 10 + 1) };
		stack[depth - 1 - i] = need_id(profile_add_location(pb, mapping,
		                                                    0x401000 + fn * 0x100 + caller % 16,
		                                                    &line, 1),
		                               "location");
		caller = fn;
	}
	return depth;
}

static void build_big(profile_builder *pb)
{
	const struct profile_mapping app = { 0x400000, 0x480000, 0, "/usr/bin/fixture-big", NULL,
	                                     1, 1, 1, 0 };
	uint64_t functions[BIG_FUNCTIONS], stack[20], state = 42, mapping;
	const int64_t values[] = { 1, CPU_PERIOD };
	size_t i;

	need_ok(profile_add_sample_type(pb, "samples", "count"), "sample type");
	need_ok(profile_add_sample_type(pb, "cpu", "nanoseconds"), "sample type");
	need_ok(profile_set_period(pb, "cpu", "nanoseconds", CPU_PERIOD), "period");
	profile_set_time(pb, 1700000000000000000LL, 1000000000000LL);
	mapping = need_id(profile_add_mapping(pb, &app), "mapping");
	add_big_functions(pb, functions);
	for (i = 0; i < BIG_SAMPLES; i++) {
		size_t depth = random_stack(pb, mapping, functions, &state, stack);

		need_ok(profile_add_sample(pb, stack, depth, values, 2, NULL, 0), "sample");
	}
}

/* ---- output ---- */

static void write_profile(const char *dir, const char *name, void (*build)(profile_builder *))
{
	char path[4096];
	profile_builder *pb = profile_builder_new();
	unsigned char *bytes;
	size_t len;
	int fd;

	if (pb == NULL)
		die("profile_builder_new");
	build(pb);
	if (profile_write_buffer(pb, &bytes, &len) != 0)
		die("profile_write_buffer");
	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(path);
	if (write(fd, bytes, len) != (ssize_t)len || close(fd) != 0)
		die(path);
	free(bytes);
	profile_builder_free(pb);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: encoder_fixture OUTPUT_DIR\n");
		return 2;
	}
	write_profile(argv[1], "full.pb.gz", build_full);
	write_profile(argv[1], "nosamples.pb.gz", build_without_samples);
	write_profile(argv[1], "big.pb.gz", build_big);
	return 0;
}
