/*
 * prog_heap_exact.c — a workload with known allocation counts and sizes per
 * function, for the exact heap test (mem_rate=1): every allocation is
 * sampled, so the profile must show these numbers exactly. It prints the
 * source line of each allocating call so the test can check file:line.
 */
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))

static void *keep[1000];
static void *volatile escape;   /* stops the compiler from eliding malloc/free pairs */
static int nkeep;

NOINLINE static void alloc_small(void)   /* 100 x 1000 B, 40 freed */
{
	void *p[100];
	for (int i = 0; i < 100; i++) {
		p[i] = malloc(1000);
		if (i == 0) printf("line alloc_small %d\n", __LINE__ - 1);
	}
	for (int i = 0; i < 40; i++) free(p[i]);
	for (int i = 40; i < 100; i++) keep[nkeep++] = p[i];
}

NOINLINE static void alloc_calloc(void)  /* 10 x calloc(3, 100) = 300 B, all freed */
{
	for (int i = 0; i < 10; i++) {
		void *p = calloc(3, 100);
		if (i == 0) printf("line alloc_calloc %d\n", __LINE__ - 1);
		escape = p;
		free(escape);
	}
}

NOINLINE static void alloc_aligned(void) /* 20 x aligned 4096 B, kept */
{
	for (int i = 0; i < 20; i++) {
		void *p = NULL;
		if (posix_memalign(&p, 64, 4096) != 0) abort();
		keep[nkeep++] = p;
	}
}

NOINLINE static void alloc_realloc(void) /* 30 x malloc(10) -> realloc(5000), kept */
{
	for (int i = 0; i < 30; i++) {
		void *p = malloc(10);
		p = realloc(p, 5000);
		keep[nkeep++] = p;
	}
}

int main(void)
{
	alloc_small();
	alloc_calloc();
	alloc_aligned();
	alloc_realloc();
	fflush(stdout);
	return 0;
}
