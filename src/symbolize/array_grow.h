/*
 * array_grow.h — doubling a malloc'd array, for the symbolizer's tables
 * that grow one entry at a time (scope indexes, DIE children), and putting
 * an entry in its place in a sorted array of pointers.
 */
#ifndef PPROF_AGENT_SYMBOLIZE_ARRAY_GROW_H
#define PPROF_AGENT_SYMBOLIZE_ARRAY_GROW_H

#include <stdlib.h>
#include <string.h>

/* Doubles the capacity *cap (0 becomes 64) of the array *v of elements of
 * size bytes. Returns 0, or -1 with *v and *cap unchanged when memory runs
 * out. */
static inline int sym_array_grow(void **v, size_t *cap, size_t size)
{
	size_t n = *cap ? 2 * *cap : 64;
	void *bigger = realloc(*v, n * size);
	if (bigger == NULL)
		return -1;
	*v = bigger;
	*cap = n;
	return 0;
}

/* Inserts item at index at of the array *v of *n pointers (capacity *cap),
 * growing it when full. Returns 0, or -1 when memory runs out (nothing
 * changed). */
static inline int sym_array_insert(void ***v, size_t *n, size_t *cap, size_t at, void *item)
{
	if (*n == *cap && sym_array_grow((void **)v, cap, sizeof **v) != 0)
		return -1;
	memmove(&(*v)[at + 1], &(*v)[at], (*n - at) * sizeof **v);
	(*v)[at] = item;
	(*n)++;
	return 0;
}

#endif
