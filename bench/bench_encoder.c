/*
 * bench_encoder.c — benchmark of the encoder (not run by make check):
 *   1. a heap-profile-like workload: N samples (default 100000), each with
 *      its own stack of 8..63 frames from a random walk over a call graph of
 *      2000 functions (so stacks share prefixes near the root, as real ones
 *      do), every frame added with profile_add_location (deduplicated), one
 *      frame in ten with an inlined callee, four values and a numeric label
 *      per sample; it reports samples/second for building, for writing
 *      (protobuf-c + gzip into memory) and overall, and gzip bytes/sample;
 *   2. a scaling check: 250k, 500k and 1M distinct locations, reporting
 *      ns/location, which should stay flat if deduplication is O(1).
 *
 * Usage: bench_encoder [SAMPLES]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "profile_builder.h"

#define FUNCTIONS 2000
#define MAX_DEPTH 63

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t next_random(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 33;
}

static void need(int ok, const char *what)
{
	if (!ok) {
		perror(what);
		exit(1);
	}
}

static void add_functions(profile_builder *pb, uint64_t *functions)
{
	char name[64], system_name[64];
	size_t i;

	for (i = 0; i < FUNCTIONS; i++) {
		snprintf(name, sizeof name, "app::module%zu::function_%zu(int, char const*)", i % 37, i);
		snprintf(system_name, sizeof system_name, "_ZN3app8module%zu10function_%zuEiPKc",
		         i % 37, i);
		functions[i] = profile_add_function(pb, name, system_name, "src/app/module.cc",
		                                    (int64_t)i * 20);
		need(functions[i] != 0, "profile_add_function");
	}
}

/* The location of a call from caller to callee, with the callee inlined
 * into it for one call site in ten. */
static uint64_t call_site(profile_builder *pb, uint64_t mapping, const uint64_t *functions,
                          size_t caller, size_t callee)
{
	struct profile_line lines[2];
	size_t n = 0;

	if (callee % 10 == 0)
		lines[n++] = (struct profile_line){ functions[callee], (int64_t)(callee * 20 + 3) };
	lines[n++] = (struct profile_line){ functions[caller], (int64_t)(caller * 20 + callee % 17) };
	return profile_add_location(pb, mapping, 0x400000 + caller * 0x400 + (callee % 64) * 8,
	                            lines, n);
}

/* A random walk from function 0 (the root); stack[0] is the leaf. */
static size_t random_stack(profile_builder *pb, uint64_t mapping, const uint64_t *functions,
                           uint64_t *state, uint64_t *stack)
{
	size_t depth = 8 + next_random(state) % (MAX_DEPTH - 7);
	size_t caller = 0, i;

	for (i = 0; i < depth; i++) {
		size_t callee = (caller * 31 + 1 + next_random(state) % (i < 4 ? 3 : 40)) % FUNCTIONS;

		stack[depth - 1 - i] = call_site(pb, mapping, functions, caller, callee);
		need(stack[depth - 1 - i] != 0, "profile_add_location");
		caller = callee;
	}
	return depth;
}

/* Ids are dense, so the highest id seen is the number of locations. */
static uint64_t highest_id(uint64_t highest, const uint64_t *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] > highest)
			highest = ids[i];
	return highest;
}

static void add_header(profile_builder *pb)
{
	need(profile_add_sample_type(pb, "alloc_objects", "count") == 0, "sample type");
	need(profile_add_sample_type(pb, "alloc_space", "bytes") == 0, "sample type");
	need(profile_add_sample_type(pb, "inuse_objects", "count") == 0, "sample type");
	need(profile_add_sample_type(pb, "inuse_space", "bytes") == 0, "sample type");
	need(profile_set_period(pb, "space", "bytes", 524288) == 0, "period");
	profile_set_time(pb, 1700000000000000000LL, 0);
}

static void bench_heap_profile(size_t nsamples)
{
	const struct profile_mapping app = { 0x400000, 0x1400000, 0, "/usr/bin/app",
	                                     "0123456789abcdef", 1, 1, 1, 1 };
	profile_builder *pb = profile_builder_new();
	uint64_t functions[FUNCTIONS], stack[MAX_DEPTH], state = 7, mapping;
	size_t i, frames = 0, gz_len;
	uint64_t locations = 0;
	unsigned char *gz;
	double start, built, written;

	need(pb != NULL, "profile_builder_new");
	start = now_seconds();
	add_header(pb);
	mapping = profile_add_mapping(pb, &app);
	add_functions(pb, functions);
	for (i = 0; i < nsamples; i++) {
		size_t depth = random_stack(pb, mapping, functions, &state, stack);
		int64_t size = 16 << (next_random(&state) % 12), count = 1 + next_random(&state) % 50;
		const int64_t values[4] = { count, count * size, count / 2, count / 2 * size };
		const struct profile_label label = { "bytes", NULL, size, NULL };

		need(profile_add_sample(pb, stack, depth, values, 4, &label, 1) == 0, "sample");
		frames += depth;
		locations = highest_id(locations, stack, depth);
	}
	built = now_seconds();
	need(profile_write_buffer(pb, &gz, &gz_len) == 0, "profile_write_buffer");
	written = now_seconds();
	printf("heap-like profile: %zu samples, %zu frames (%.1f per sample), %lu locations\n",
	       nsamples, frames, (double)frames / (double)nsamples, (unsigned long)locations);
	printf("  build: %.3f s, %.0f samples/s (%.0f frames/s)\n", built - start,
	       (double)nsamples / (built - start), (double)frames / (built - start));
	printf("  write: %.3f s, %.0f samples/s (protobuf-c + gzip level 1, to memory)\n",
	       written - built, (double)nsamples / (written - built));
	printf("  total: %.3f s, %.0f samples/s encoded\n", written - start,
	       (double)nsamples / (written - start));
	printf("  output: %zu bytes gzip, %.1f bytes/sample\n", gz_len,
	       (double)gz_len / (double)nsamples);
	free(gz);
	profile_builder_free(pb);
}

static void bench_distinct_locations(size_t nlocations)
{
	profile_builder *pb = profile_builder_new();
	uint64_t fn;
	double start, elapsed;
	size_t i;

	need(pb != NULL, "profile_builder_new");
	fn = profile_add_function(pb, "f", "f", "f.c", 1);
	start = now_seconds();
	for (i = 0; i < nlocations; i++) {
		const struct profile_line line = { fn, (int64_t)(i % 1000) };

		need(profile_add_location(pb, 0, 0x10000000 + i * 4, &line, 1) == i + 1,
		     "profile_add_location");
	}
	elapsed = now_seconds() - start;
	printf("  %7zu distinct locations: %.3f s, %.0f ns/location\n", nlocations, elapsed,
	       elapsed * 1e9 / (double)nlocations);
	profile_builder_free(pb);
}

int main(int argc, char **argv)
{
	size_t nsamples = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 100000;

	if (nsamples == 0) {
		fprintf(stderr, "usage: bench_encoder [SAMPLES]\n");
		return 2;
	}
	bench_heap_profile(nsamples);
	printf("scaling of location dedup:\n");
	bench_distinct_locations(250000);
	bench_distinct_locations(500000);
	bench_distinct_locations(1000000);
	return 0;
}
