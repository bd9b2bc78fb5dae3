/*
 * prog_heap_mixed.c — the accuracy workload of the sampling test. Three
 * allocation sites with different size mixes each allocate about 1.5 GiB in
 * total and keep a known part live; the program prints the true figures of
 * each site ("true SITE alloc_objects alloc_space inuse_objects
 * inuse_space") so the test can compare the profile's estimates with them.
 *   site_small:   16..512 B, uniformly
 *   site_medium:  1 KiB..64 KiB, uniformly
 *   site_bimodal: 100 B or 1 MiB (one in 64) — the mix that a single
 *                 per-bucket average size would estimate badly
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))
#define TARGET_ALLOC (3ull << 29)   /* 1.5 GiB per site, ~768 MiB of it live */

struct truth {
	const char *name;
	uint64_t alloc_objects, alloc_bytes, inuse_objects, inuse_bytes;
};

static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void **live;
static size_t nlive, cap_live;

static void keep(void *p)
{
	if (nlive == cap_live) {
		cap_live = cap_live ? cap_live * 2 : 1 << 20;
		live = realloc(live, cap_live * sizeof(*live));
	}
	live[nlive++] = p;
}

/* Allocates one object of size; keeps it when keep_it, else frees it. */
static void account(struct truth *t, void *p, size_t size, int keep_it)
{
	t->alloc_objects++;
	t->alloc_bytes += size;
	if (keep_it) {
		t->inuse_objects++;
		t->inuse_bytes += size;
		keep(p);
	} else {
		free(p);
	}
}

NOINLINE static void site_small(struct truth *t)
{
	while (t->alloc_bytes < TARGET_ALLOC) {
		size_t size = 16 + next_rand() % 497;
		account(t, malloc(size), size, next_rand() % 2 == 0);
	}
}

NOINLINE static void site_medium(struct truth *t)
{
	while (t->alloc_bytes < TARGET_ALLOC) {
		size_t size = 1024 + next_rand() % (63 * 1024 + 1);
		account(t, malloc(size), size, next_rand() % 2 == 0);
	}
}

NOINLINE static void site_bimodal(struct truth *t)
{
	while (t->alloc_bytes < TARGET_ALLOC) {
		size_t size = next_rand() % 64 == 0 ? (1u << 20) : 100;
		account(t, malloc(size), size, next_rand() % 2 == 0);
	}
}

int main(int argc, char **argv)
{
	struct truth t[3] = { { "site_small" }, { "site_medium" }, { "site_bimodal" } };
	if (argc > 1)
		rng ^= strtoull(argv[1], NULL, 10) * 0x9e3779b97f4a7c15ull;
	site_small(&t[0]);
	site_medium(&t[1]);
	site_bimodal(&t[2]);
	for (int i = 0; i < 3; i++)
		printf("true %s %llu %llu %llu %llu\n", t[i].name,
		       (unsigned long long)t[i].alloc_objects, (unsigned long long)t[i].alloc_bytes,
		       (unsigned long long)t[i].inuse_objects, (unsigned long long)t[i].inuse_bytes);
	fflush(stdout);
	return 0;   /* the live set is still allocated when the exit snapshot runs */
}
