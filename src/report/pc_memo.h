/*
 * pc_memo.h — the return addresses one profile build has met, each with the
 * location id it became. A PC sits in many stacks (every stack of a program
 * shares its start-up frames), so the build notes, symbolizes and interns it
 * once, at its first stack, and reuses the id for every later one; without
 * this, a warm snapshot of 100k stacks re-interned every frame of every
 * sample. The first occurrences come in the same order either way, so the
 * profile is the same. Lives for one build; an index of the encoder's
 * dedup_index kind over two arrays of its own.
 */
#ifndef PPROF_AGENT_PC_MEMO_H
#define PPROF_AGENT_PC_MEMO_H

#include <stddef.h>
#include <stdint.h>

#include "dedup_index.h"

#define PC_MEMO_RECENT_BITS 10

struct pc_memo {
	/* A direct-mapped cache in front of the index: most lookups are of a
	 * PC met a moment ago (stacks share their outer frames). */
	uint32_t recent[1u << PC_MEMO_RECENT_BITS];
	struct dedup_index index;
	uintptr_t *pcs;          /* entry e (1..n) is pcs[e - 1] */
	uint64_t *location_ids;  /* of entry e at [e - 1]; 0 until the build sets it */
	size_t n, cap;
};

void pc_memo_init(struct pc_memo *m);
void pc_memo_free(struct pc_memo *m);

uint32_t pc_memo_add(struct pc_memo *m, uintptr_t pc, uint32_t *recent, int *added);

/* The entry of pc, added (with location id 0, and *added set to 1) when pc
 * is new; 0 when memory runs out, in which case the caller does its work
 * without the memo. Inline: nearly every call is answered by the recent
 * cache, in a few instructions and without a frame. */
static inline uint32_t pc_memo_entry(struct pc_memo *m, uintptr_t pc, int *added)
{
	uint32_t *recent = &m->recent[((uint64_t)pc * 0x9e3779b97f4a7c15ULL) >>
	                              (64 - PC_MEMO_RECENT_BITS)];
	uint32_t e = *recent;
	if (e != 0 && m->pcs[e - 1] == pc) {
		*added = 0;
		return e;
	}
	return pc_memo_add(m, pc, recent, added);
}

#endif
