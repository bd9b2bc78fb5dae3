/*
 * encoder_array.c — growable arrays for the encoder's tables (see
 * encoder_array.h). Capacity doubles, so appending n items costs O(n).
 */
#include <errno.h>
#include <stdint.h>

#include "encoder_array.h"
#include "encoder_sys.h"

void encoder_array_init(struct encoder_array *a, size_t item_size)
{
	a->items = NULL;
	a->count = 0;
	a->capacity = 0;
	a->item_size = item_size;
}

void encoder_array_free(struct encoder_array *a)
{
	encoder_free(a->items);
	encoder_array_init(a, a->item_size);
}

static size_t capacity_for(size_t current, size_t needed)
{
	size_t capacity = current ? current : 16;

	while (capacity < needed && capacity <= SIZE_MAX / 2)
		capacity *= 2;
	return capacity < needed ? needed : capacity;
}

int encoder_array_reserve(struct encoder_array *a, size_t extra)
{
	size_t needed, capacity;
	void *items;

	if (extra > SIZE_MAX - a->count) {
		errno = ENOMEM;
		return -1;
	}
	needed = a->count + extra;
	if (needed <= a->capacity)
		return 0;
	capacity = capacity_for(a->capacity, needed);
	if (capacity > SIZE_MAX / a->item_size) {
		errno = ENOMEM;
		return -1;
	}
	items = encoder_realloc(a->items, capacity * a->item_size);
	if (items == NULL) {
		errno = ENOMEM;
		return -1;
	}
	a->items = items;
	a->capacity = capacity;
	return 0;
}

void *encoder_array_extend(struct encoder_array *a, size_t n)
{
	void *first = encoder_array_at(a, a->count);

	a->count += n;
	return first;
}

void *encoder_array_at(const struct encoder_array *a, size_t i)
{
	if (a->items == NULL)
		return NULL;
	return (char *)a->items + i * a->item_size;
}

void *encoder_array_take(struct encoder_array *a)
{
	void *items = a->items;

	encoder_array_init(a, a->item_size);
	return items;
}
