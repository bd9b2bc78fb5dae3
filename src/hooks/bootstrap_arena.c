/*
 * bootstrap_arena.c — see bootstrap_arena.h. A bump pointer advanced with a
 * compare-and-swap; each block is preceded by its size, and its address is
 * pinned in the sampled-address filter so that free takes its slow path,
 * which knows the arena.
 */
#include "bootstrap_arena.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "sampled_addrs.h"

unsigned char bootstrap_arena[BOOTSTRAP_SIZE] __attribute__((aligned(64)));
static atomic_size_t bootstrap_used;

void *bootstrap_alloc(size_t size, size_t align)
{
	uintptr_t base = (uintptr_t)bootstrap_arena;
	if (align < 16)
		align = 16;
	for (;;) {
		size_t used = atomic_load(&bootstrap_used);
		/* the block's address, not its offset, is aligned */
		size_t start = ((base + used + sizeof(size_t) + align - 1) & ~(uintptr_t)(align - 1)) - base;
		if (start + size > BOOTSTRAP_SIZE || start + size < start)
			return NULL;
		if (atomic_compare_exchange_weak(&bootstrap_used, &used, start + size)) {
			unsigned char *p = bootstrap_arena + start;
			memcpy(p - sizeof(size_t), &size, sizeof(size_t));
			sampled_filter_pin(p);
			return p;
		}
	}
}

size_t bootstrap_size(const void *p)
{
	size_t size;
	memcpy(&size, (const unsigned char *)p - sizeof(size_t), sizeof(size_t));
	return size;
}
