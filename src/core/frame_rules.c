/*
 * frame_rules.c — the cache of frame rules (see frame_rules.h): mapping
 * the table, and filling an entry on a miss.
 */
#include "frame_rules.h"

#include "core_sys.h"
#include "eh_frame.h"

#define SLOTS (1u << FRAME_RULE_SLOT_BITS)

_Static_assert(sizeof(struct frame_rule) == sizeof(uint64_t), "a rule fits one word");

struct frame_rule_slot *_Atomic frame_rule_table_mapped;

struct frame_rule_slot *frame_rule_table_map(void)
{
	struct frame_rule_slot *t = atomic_load_explicit(&frame_rule_table_mapped, memory_order_acquire);
	if (t != NULL)
		return t;
	struct frame_rule_slot *fresh = core_sys.map(SLOTS * sizeof *fresh);
	if (fresh == NULL)
		return NULL;
	if (!atomic_compare_exchange_strong(&frame_rule_table_mapped, &t, fresh)) {
		core_sys.unmap(fresh, SLOTS * sizeof *fresh);
		return t;
	}
	return fresh;
}

struct frame_rule frame_rule_fill(struct frame_rule_slot *t, uintptr_t pc)
{
	struct frame_rule rule = eh_frame_rule(pc);
	if (t == NULL)
		return rule;
	struct frame_rule_slot *s = &t[frame_rule_mix(pc) >> (64 - FRAME_RULE_SLOT_BITS)];
	uint64_t word;
	rule.check = frame_rule_check(pc);
	memcpy(&word, &rule, sizeof word);
	atomic_store_explicit(&s->rule, word, memory_order_relaxed);
	atomic_store_explicit(&s->pc, pc, memory_order_release);
	return rule;
}

struct frame_rule frame_rule_for(uintptr_t pc)
{
	return frame_rule_lookup(frame_rule_table(), pc);
}
