/*
 * prog_dlopen_lib.c — a shared library prog_dlopen and prog_fork_storm load
 * and unload (built by tests/e2e/dlopen_lib.sh and e2e_fork_storm.sh with
 * cc -shared -fPIC -g; -DDSO_ALLOC=name gives the allocating function
 * another name, for a second library).
 */
#include <stdlib.h>

#ifndef DSO_ALLOC
#define DSO_ALLOC dso_alloc
#endif

__attribute__((noinline)) void DSO_ALLOC(void **out, int n, size_t size)
{
	for (int i = 0; i < n; i++)
		out[i] = malloc(size);
	__asm__ volatile("" ::: "memory");
}
