/*
 * encoder_array.h — the one growable array behind every table of the encoder
 * (strings, mappings, functions, locations, samples and their pools) and the
 * writer's scratch space. Memory comes from the encoder_sys seams, so a failed
 * allocation is reported as -1/ENOMEM and leaves the array as it was.
 *
 * The pattern is reserve, then extend: a caller that must update several
 * arrays together reserves room in all of them first, and only then extends
 * them, which cannot fail. That keeps the builder consistent after any
 * allocation failure.
 */
#ifndef PPROF_ENCODER_ARRAY_H
#define PPROF_ENCODER_ARRAY_H

#include <stddef.h>

struct encoder_array {
	void *items;
	size_t count;       /* items in use */
	size_t capacity;    /* items allocated */
	size_t item_size;
};

void encoder_array_init(struct encoder_array *a, size_t item_size);
void encoder_array_free(struct encoder_array *a);

/* Makes room for extra more items beyond count; 0, or -1 with errno ENOMEM. */
int encoder_array_reserve(struct encoder_array *a, size_t extra);

/* Appends n items (room must have been reserved) and returns the first. */
void *encoder_array_extend(struct encoder_array *a, size_t n);

/* Item i, for i < capacity; NULL while nothing is allocated. */
void *encoder_array_at(const struct encoder_array *a, size_t i);

/* Hands the items to the caller (who frees them with encoder_free) and
 * leaves the array empty. */
void *encoder_array_take(struct encoder_array *a);

#endif
