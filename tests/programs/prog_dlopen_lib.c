/*
 * prog_dlopen_lib.c — a shared library prog_dlopen loads and unloads
 * (built by e2e_dlopen.sh with cc -shared -fPIC -g; -DDSO_ALLOC=name
 * gives the allocating function another name, for a second library).
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
