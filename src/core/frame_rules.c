/*
 * frame_rules.c — the cache of frame rules (see frame_rules.h).
 */
#include "frame_rules.h"

#include <stdatomic.h>

#include "core_sys.h"
#include "eh_frame.h"

#define SLOT_BITS 14
#define SLOTS (1u << SLOT_BITS)
#define CHECK_BITS 10

struct slot {
	_Atomic uintptr_t pc;
	_Atomic uint64_t packed;
};

static struct slot *_Atomic table;

static uint64_t mix(uintptr_t pc)
{
	return (uint64_t)pc * 0x9e3779b97f4a7c15ULL;
}

/* The rule in 54 bits, the check in the top 10. */
static uint64_t pack(struct frame_rule r, uintptr_t pc)
{
	uint64_t check = mix(pc) >> (64 - SLOT_BITS - CHECK_BITS) & ((1u << CHECK_BITS) - 1);
	return (uint64_t)r.kind | (uint64_t)r.cfa_reg << 3 | (uint64_t)r.rbp_from << 4 |
	       (uint64_t)(uint16_t)r.rbp_offset << 6 | (uint64_t)(uint32_t)r.cfa_offset << 22 |
	       check << 54;
}

static int unpack(uint64_t v, uintptr_t pc, struct frame_rule *r)
{
	if (v >> 54 != (pack((struct frame_rule){ 0 }, pc) >> 54))
		return 0;
	r->kind = v & 7;
	r->cfa_reg = v >> 3 & 1;
	r->rbp_from = v >> 4 & 3;
	r->rbp_offset = (int16_t)(v >> 6 & 0xffff);
	r->cfa_offset = (int32_t)(v >> 22 & 0xffffffffu);
	return 1;
}

static struct slot *table_or_map(void)
{
	struct slot *t = atomic_load_explicit(&table, memory_order_acquire);
	if (t != NULL)
		return t;
	struct slot *fresh = core_sys.map(SLOTS * sizeof *fresh);
	if (fresh == NULL)
		return NULL;
	if (!atomic_compare_exchange_strong(&table, &t, fresh)) {
		core_sys.unmap(fresh, SLOTS * sizeof *fresh);
		return t;
	}
	return fresh;
}

struct frame_rule frame_rule_for(uintptr_t pc)
{
	struct slot *t = table_or_map();
	if (t == NULL)
		return eh_frame_rule(pc);
	struct slot *s = &t[mix(pc) >> (64 - SLOT_BITS)];
	struct frame_rule rule;
	if (atomic_load_explicit(&s->pc, memory_order_acquire) == pc &&
	    unpack(atomic_load_explicit(&s->packed, memory_order_relaxed), pc, &rule))
		return rule;
	rule = eh_frame_rule(pc);
	atomic_store_explicit(&s->packed, pack(rule, pc), memory_order_relaxed);
	atomic_store_explicit(&s->pc, pc, memory_order_release);
	return rule;
}
