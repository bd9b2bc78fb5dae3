/*
 * string_arena.c — chunked bump allocation and string interning for the
 * symbolizer (see string_arena.h). Chunks are 64 KiB; a larger request
 * gets a chunk of its own. The interned-string set is a power-of-two open
 * addressing table of pointers into the chunks, kept at most half full.
 */
#include "string_arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE 65536

struct sym_arena_chunk {
	struct sym_arena_chunk *next;
	size_t used, cap;
	alignas(max_align_t) char data[];
};

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
}

static struct sym_arena_chunk *new_chunk(struct sym_arena *a, size_t size)
{
	size_t cap = size > CHUNK_SIZE ? size : CHUNK_SIZE;
	struct sym_arena_chunk *c = malloc(sizeof *c + cap);
	if (c == NULL)
		return NULL;
	c->used = 0;
	c->cap = cap;
	c->next = a->chunks;
	a->chunks = c;
	return c;
}

void *sym_arena_alloc(struct sym_arena *a, size_t size)
{
	size = round_up(size ? size : 1, alignof(max_align_t));
	struct sym_arena_chunk *c = a->chunks;
	if (c == NULL || c->cap - c->used < size)
		c = new_chunk(a, size);
	if (c == NULL)
		return NULL;
	void *p = c->data + c->used;
	c->used += size;
	return p;
}

/* FNV-1a. */
static size_t hash_string(const char *s)
{
	uint64_t h = 14695981039346656037ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot holding s, or the empty slot where it belongs. */
static const char **find_slot(const char **table, size_t cap, const char *s)
{
	size_t i = hash_string(s) & (cap - 1);
	while (table[i] != NULL && strcmp(table[i], s) != 0)
		i = (i + 1) & (cap - 1);
	return &table[i];
}

static int grow_strings(struct sym_arena *a)
{
	size_t cap = a->strings_cap ? a->strings_cap * 2 : 1024;
	const char **table = calloc(cap, sizeof *table);
	if (table == NULL)
		return -1;
	for (size_t i = 0; i < a->strings_cap; i++)
		if (a->strings[i] != NULL)
			*find_slot(table, cap, a->strings[i]) = a->strings[i];
	free(a->strings);
	a->strings = table;
	a->strings_cap = cap;
	return 0;
}

const char *sym_arena_intern(struct sym_arena *a, const char *s)
{
	if (*s == '\0')
		return "";
	if (2 * (a->nstrings + 1) > a->strings_cap && grow_strings(a) < 0)
		return "";
	const char **slot = find_slot(a->strings, a->strings_cap, s);
	if (*slot != NULL)
		return *slot;
	size_t len = strlen(s) + 1;
	char *copy = sym_arena_alloc(a, len);
	if (copy == NULL)
		return "";
	memcpy(copy, s, len);
	*slot = copy;
	a->nstrings++;
	return copy;
}

void sym_arena_free(struct sym_arena *a)
{
	while (a->chunks != NULL) {
		struct sym_arena_chunk *next = a->chunks->next;
		free(a->chunks);
		a->chunks = next;
	}
	free(a->strings);
	memset(a, 0, sizeof *a);
}
