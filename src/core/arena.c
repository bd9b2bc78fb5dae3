/*
 * arena.c — see arena.h. Chunks of 1 MiB (or the request, if larger) come
 * from core_sys.map; a spin lock guards the bump pointer. The lock is held
 * across the mmap only, which is a system call but not the allocator.
 */
#include "arena.h"

#include "core_sys.h"
#include "spinlock.h"

#define CHUNK_SIZE (1u << 20)

static spinlock arena_lock = SPINLOCK_INIT(RANK_ARENA);
static unsigned char *chunk_next, *chunk_end;
static size_t used_bytes;
static size_t limit_bytes = 64u << 20;

void arena_set_limit(size_t limit)
{
	spin_lock(&arena_lock);
	limit_bytes = limit;
	spin_unlock(&arena_lock);
}

size_t arena_used(void)
{
	spin_lock(&arena_lock);
	size_t used = used_bytes;
	spin_unlock(&arena_lock);
	return used;
}

static int arena_refill(size_t size)
{
	size_t len = size > CHUNK_SIZE ? (size + 4095) & ~(size_t)4095 : CHUNK_SIZE;
	unsigned char *p = core_sys.map(len);
	if (p == NULL)
		return -1;
	chunk_next = p;
	chunk_end = p + len;
	return 0;
}

/* Bytes from chunk_next to the next multiple of align (chunks start on
 * a page). */
static size_t pad_to(size_t align)
{
	return (size_t)-(uintptr_t)chunk_next & (align - 1);
}

void *arena_alloc_aligned(size_t size, size_t align)
{
	void *p = NULL;
	size = (size + 15) & ~(size_t)15;
	if (!spin_lock_unless_forking(&arena_lock))
		return NULL;
	size_t pad = pad_to(align);
	if ((size_t)(chunk_end - chunk_next) < pad + size) {
		if (used_bytes + size > limit_bytes || arena_refill(size) != 0)
			goto out;
		pad = 0;
	}
	if (used_bytes + pad + size > limit_bytes)
		goto out;
	p = chunk_next + pad;
	chunk_next += pad + size;
	used_bytes += pad + size;
out:
	spin_unlock(&arena_lock);
	return p;
}

void *arena_alloc(size_t size)
{
	return arena_alloc_aligned(size, 16);
}

void arena_lock_all(void)
{
	spin_lock(&arena_lock);
}

void arena_unlock_all(void)
{
	spin_unlock(&arena_lock);
}
