/*
 * frame_rules.h — the unwinder's cache of frame rules, one per code
 * address met in a stack: a direct-mapped table of 4 Ki entries (64 KiB,
 * small enough to stay in cache, mapped at the first unwind) read and
 * written without a lock by every thread. A miss reads the rule from the
 * call frame information (eh_frame.h) and stores it; negative answers are
 * cached too.
 *
 * An entry is two words, the address and the rule, and the rule carries
 * eight check bits derived from the address: a reader that meets an entry
 * half written by another thread for another address almost always sees the
 * check fail and treats it as a miss (and a rare wrong rule can only cut a
 * stack short or add a bogus frame: every read the unwinder makes is
 * bounded).
 */
#ifndef PPROF_AGENT_FRAME_RULES_H
#define PPROF_AGENT_FRAME_RULES_H

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "frame_rule.h"

#define FRAME_RULE_SLOT_BITS 12

struct frame_rule_slot {
	_Atomic uintptr_t pc;
	_Atomic uint64_t rule;   /* struct frame_rule, check in the pad byte */
};

/* The table once mapped (NULL before); frame_rule_table reads it. */
extern struct frame_rule_slot *_Atomic frame_rule_table_mapped;

/* Maps the table (the first unwind); NULL when mapping failed. */
struct frame_rule_slot *frame_rule_table_map(void);

/* The table, mapped on first use; NULL only when mapping failed. */
static inline struct frame_rule_slot *frame_rule_table(void)
{
	struct frame_rule_slot *t =
	    atomic_load_explicit(&frame_rule_table_mapped, memory_order_acquire);
	return __builtin_expect(t != NULL, 1) ? t : frame_rule_table_map();
}

/* A miss: the rule from the unwind data, stored in table (if any). */
struct frame_rule frame_rule_fill(struct frame_rule_slot *table, uintptr_t pc);

static inline uint64_t frame_rule_mix(uintptr_t pc)
{
	return (uint64_t)pc * 0x9e3779b97f4a7c15ULL;
}

static inline uint8_t frame_rule_check(uintptr_t pc)
{
	return (uint8_t)(frame_rule_mix(pc) >> (64 - FRAME_RULE_SLOT_BITS - 8));
}

/* The rule for pc: from the table when it is there, else filled. */
static inline struct frame_rule frame_rule_lookup(struct frame_rule_slot *table, uintptr_t pc)
{
	if (__builtin_expect(table != NULL, 1)) {
		struct frame_rule_slot *s = &table[frame_rule_mix(pc) >> (64 - FRAME_RULE_SLOT_BITS)];
		if (atomic_load_explicit(&s->pc, memory_order_acquire) == pc) {
			uint64_t word = atomic_load_explicit(&s->rule, memory_order_relaxed);
			struct frame_rule r;
			memcpy(&r, &word, sizeof r);
			if (r.check == frame_rule_check(pc))
				return r;
		}
	}
	return frame_rule_fill(table, pc);
}

/* The same, finding the table itself. */
struct frame_rule frame_rule_for(uintptr_t pc);

#endif
