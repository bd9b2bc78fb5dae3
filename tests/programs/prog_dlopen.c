/*
 * prog_dlopen.c — for e2e_dlopen.sh. For each LIBRARY SYMBOL N triple, in
 * order: dlopen LIBRARY, call SYMBOL(out, N, 777), which allocates N blocks
 * that this program keeps (the memory outlives the library), and dlclose
 * it so its code is unmapped (checked with RTLD_NOLOAD). Then allocates
 * 4 x 100 B in after_dlclose and exits normally: the heap profile written
 * at exit must still name every library function. Prints
 * "SYMBOL at ADDRESS unloaded yes|no" per library, and last, under the
 * agent, "sites N": the number of allocation sites it holds
 * (pprof_mem_profile's count).
 *   prog_dlopen LIBRARY SYMBOL N [LIBRARY SYMBOL N]...
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include <pprof_agent.h>

#define NOINLINE __attribute__((noinline))

static void *kept[1024];
static int nkept;

NOINLINE static void after_dlclose(void)
{
	for (int i = 0; i < 4; i++)
		kept[nkept++] = malloc(100);
	__asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
	if (argc < 4 || (argc - 1) % 3 != 0) {
		fprintf(stderr, "usage: prog_dlopen LIBRARY SYMBOL N...\n");
		return 2;
	}
	for (int a = 1; a + 2 < argc; a += 3) {
		int n = atoi(argv[a + 2]);
		if (n < 0 || nkept + n > 1000) return 2;
		void *h = dlopen(argv[a], RTLD_NOW | RTLD_LOCAL);
		if (!h) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 1; }
		void (*fn)(void **, int, size_t) = (void (*)(void **, int, size_t))dlsym(h, argv[a + 1]);
		if (!fn) { fprintf(stderr, "dlsym: %s\n", dlerror()); return 1; }
		fn(kept + nkept, n, 777);
		nkept += n;
		if (dlclose(h) != 0) { fprintf(stderr, "dlclose: %s\n", dlerror()); return 1; }
		void *again = dlopen(argv[a], RTLD_NOW | RTLD_NOLOAD);
		printf("%s at %p unloaded %s\n", argv[a + 1], (void *)fn, again ? "no" : "yes");
	}
	after_dlclose();
	int (*mem_profile)(struct pprof_mem_record *, size_t, int, size_t *) =
	    (int (*)(struct pprof_mem_record *, size_t, int, size_t *))dlsym(RTLD_DEFAULT,
	                                                                      "pprof_mem_profile");
	size_t sites = 0;
	if (mem_profile) {
		mem_profile(NULL, 0, 1, &sites);
		printf("sites %zu\n", sites);
	}
	return 0;
}
