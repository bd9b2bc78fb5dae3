/*
 * unwind.c — the stack walk (see unwind.h).
 *
 * A thread's frames lie between its stack pointer and the top of its
 * stack (thread_stack.h). Every read is checked against [sp, top), so a bad
 * rule or a corrupt frame can only end the stack early; a stack pointer
 * outside the thread's own stack (a coroutine's stack) is not walked at
 * all.
 */
#include "unwind.h"

#include <dlfcn.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <ucontext.h>

#include "frame_rules.h"
#include "rates.h"
#include "thread_stack.h"

/* From a signal trampoline's frame into the interrupted code: the kernel's
 * ucontext sits where the trampoline's stack pointer points. */
static __attribute__((noinline)) int step_signal(struct unwind_regs *r,
                                                 const struct stack_memory *m)
{
	uintptr_t uc = r->sp, pc, sp, rbp;
	const size_t gregs = offsetof(ucontext_t, uc_mcontext.gregs);
	if (!stack_memory_read(m, uc + gregs + REG_RIP * 8, &pc) ||
	    !stack_memory_read(m, uc + gregs + REG_RSP * 8, &sp) ||
	    !stack_memory_read(m, uc + gregs + REG_RBP * 8, &rbp) || sp <= r->sp)
		return 0;
	*r = (struct unwind_regs){ .pc = pc, .sp = sp, .rbp = rbp, .pc_is_exact = 1 };
	return 1;
}

/* stack_memory_read, noting the word read (when note is not NULL). */
static inline __attribute__((always_inline)) int noted_read(const struct stack_memory *m,
                                                            uintptr_t addr, uintptr_t *out,
                                                            struct unwind_note *note)
{
	if (!stack_memory_read(m, addr, out))
		return 0;
	if (note) {
		if (note->reads < UNWIND_NOTE_READS) {
			note->addr[note->reads] = addr;
			note->value[note->reads] = *out;
		}
		if (note->reads <= UNWIND_NOTE_READS)
			note->reads++;
	}
	return 1;
}

/* One frame up, by the rule for r->pc; 0 when the stack ends here.
 * Always inlined, so a walk of the calling thread's own stack (whose
 * stack_memory has no copy) reads it without testing for one. */
static inline __attribute__((always_inline)) int step(struct unwind_regs *r,
                                                      const struct stack_memory *m,
                                                      struct frame_rule_slot *rules,
                                                      struct unwind_note *note)
{
	struct frame_rule rule = frame_rule_lookup(rules, r->pc_is_exact ? r->pc : r->pc - 1);
	uintptr_t cfa, ra, rbp = r->rbp;
	if (note && note->rbp_is_first &&
	    (rule.kind == FRAME_ALIGNED || rule.rbp_from == RBP_AT_RBP ||
	     (rule.kind == FRAME_STANDARD && rule.cfa_reg == CFA_RBP)))
		note->uses_first_rbp = 1;
	switch (rule.kind) {
	case FRAME_STANDARD:
		cfa = (rule.cfa_reg == CFA_RSP ? r->sp : r->rbp) + (intptr_t)rule.cfa_offset;
		break;
	case FRAME_ALIGNED:
		if (!noted_read(m, r->rbp + (intptr_t)rule.cfa_offset, &cfa, note))
			return 0;
		break;
	case FRAME_SIGNAL: {
		if (note)
			note->reads = UNWIND_NOTE_READS + 1;   /* not kept */
		/* Out of line, on copies, so r and m stay in registers. */
		struct unwind_regs in = *r;
		struct stack_memory mem = *m;
		if (!step_signal(&in, &mem))
			return 0;
		*r = in;
		return 1;
	}
	default:
		return 0;
	}
	if (cfa < r->sp + sizeof(uintptr_t) || !noted_read(m, cfa - sizeof(uintptr_t), &ra, note))
		return 0;
	if (rule.rbp_from == RBP_AT_CFA && !noted_read(m, cfa + rule.rbp_offset, &rbp, note))
		return 0;
	if (rule.rbp_from == RBP_AT_RBP && !noted_read(m, r->rbp + rule.rbp_offset, &rbp, note))
		return 0;
	if (note && rule.rbp_from != RBP_UNCHANGED)
		note->rbp_is_first = 0;
	*r = (struct unwind_regs){ .pc = ra, .sp = cfa, .rbp = rbp };
	return ra != 0;
}

/* The walk by rules (unwind_stack_until), inlined into each caller. It
 * works on local copies of the registers and the bounds, which the stores
 * into pcs cannot alias, so they stay in registers (and a copy known to be
 * absent is never tested). */
static inline __attribute__((always_inline)) size_t
walk(struct unwind_regs *regs, const struct stack_memory *mem, uintptr_t *pcs, size_t max,
     struct unwind_note *note)
{
	struct frame_rule_slot *rules = frame_rule_table();
	const struct stack_memory m = *mem;
	struct unwind_regs r = *regs;
	int readable = m.hi >= sizeof(uintptr_t);
	size_t n = 0;
	while (n < max && r.pc != 0) {
		pcs[n++] = r.pc_is_exact ? r.pc + 1 : r.pc;
		struct unwind_regs next = r;
		if (n == max || !readable || !step(&next, &m, rules, note))
			break;
		r = next;
	}
	*regs = r;
	return n;
}

size_t unwind_stack_until(struct unwind_regs *regs, const struct stack_memory *mem,
                          uintptr_t *pcs, size_t max)
{
	return walk(regs, mem, pcs, max, NULL);
}

size_t unwind_stack(struct unwind_regs regs, const struct stack_memory *mem, uintptr_t *pcs,
                    size_t max)
{
	return unwind_stack_until(&regs, mem, pcs, max);
}

/* The agent's own object, where frames are followed by their rules even in
 * a walk by frame pointers: [lo, hi), found once (0, 0 until then). */
static _Atomic uintptr_t agent_lo, agent_hi;

int unwind_in_agent(uintptr_t pc)
{
	uintptr_t hi = atomic_load_explicit(&agent_hi, memory_order_acquire);
	if (__builtin_expect(hi == 0, 0)) {
		struct dl_find_object o;
		if (_dl_find_object((void *)(uintptr_t)unwind_stack_fp, &o) != 0)
			return 0;
		atomic_store_explicit(&agent_lo, (uintptr_t)o.dlfo_map_start, memory_order_relaxed);
		atomic_store_explicit(&agent_hi, (uintptr_t)o.dlfo_map_end, memory_order_release);
		hi = (uintptr_t)o.dlfo_map_end;
	}
	return pc >= atomic_load_explicit(&agent_lo, memory_order_relaxed) && pc < hi;
}

/* One frame up by the frame pointer; 0 when the chain ends here. */
static inline int step_fp(struct unwind_regs *r, const struct stack_memory *m)
{
	uintptr_t rbp, ra;
	if (r->rbp < r->sp || (r->rbp & 7) != 0 || !stack_memory_read(m, r->rbp, &rbp) ||
	    !stack_memory_read(m, r->rbp + sizeof(uintptr_t), &ra))
		return 0;
	*r = (struct unwind_regs){ .pc = ra, .sp = r->rbp + 2 * sizeof(uintptr_t), .rbp = rbp };
	return ra != 0;
}

size_t unwind_stack_fp(struct unwind_regs regs, const struct stack_memory *mem, uintptr_t *pcs,
                       size_t max)
{
	struct frame_rule_slot *rules = NULL;
	size_t n = 0;
	if (mem->hi < sizeof(uintptr_t))
		return 0;
	while (n < max && regs.pc != 0) {
		pcs[n++] = regs.pc_is_exact ? regs.pc + 1 : regs.pc;
		int stepped;
		if (regs.pc_is_exact || unwind_in_agent(regs.pc)) {
			if (!rules)
				rules = frame_rule_table();
			stepped = step(&regs, mem, rules, NULL);
		} else {
			stepped = step_fp(&regs, mem);
		}
		if (!stepped)
			break;
	}
	return n;
}

/* The registers of this function's caller at the moment it called:
 * built with a frame pointer, this function's frame holds the caller's rbp
 * at rbp[0] and the return address at rbp[1]; the caller's stack pointer
 * is just above them. */
static __attribute__((noinline, optimize("no-omit-frame-pointer"))) struct unwind_regs
caller_regs(void)
{
	uintptr_t *frame = __builtin_frame_address(0);
	return (struct unwind_regs){ .pc = frame[1], .sp = (uintptr_t)(frame + 2), .rbp = frame[0] };
}

__thread struct unwind_note unwind_note_last;

int unwind_current_thread(const struct unwind_regs *from, void **pcs, int max)
{
	struct unwind_regs regs = from ? *from : caller_regs();
	struct stack_memory mem = { .lo = regs.sp, .hi = thread_stack_top(regs.sp) };
	if (max <= 0 || mem.hi == 0)
		return 0;
	if (atomic_load_explicit(&unwind_by_frame_pointers, memory_order_relaxed))
		return (int)unwind_stack_fp(regs, &mem, (uintptr_t *)pcs, (size_t)max);
	if (!from)
		return (int)walk(&regs, &mem, (uintptr_t *)pcs, (size_t)max, NULL);
	/* Noted (the registers it starts from, then every word it reads) only
	 * when the last walk started at the same place: noting costs, and a
	 * note is worth it where walks repeat, at a call site in a loop. */
	struct unwind_note *note = &unwind_note_last;
	int again = from->pc == note->from.pc && from->sp == note->from.sp;
	note->complete = 0;
	note->walk++;
	note->from = *from;
	if (!again)
		return (int)walk(&regs, &mem, (uintptr_t *)pcs, (size_t)max, NULL);
	note->reads = 0;
	note->rbp_is_first = 1;
	note->uses_first_rbp = 0;
	size_t n = walk(&regs, &mem, (uintptr_t *)pcs, (size_t)max, note);
	note->max = max;
	note->complete = note->reads <= UNWIND_NOTE_READS;
	return (int)n;
}

int unwind_note_repeats(const struct unwind_note *note, const struct unwind_regs *from, int max)
{
	if (!note->complete || note->max != max || from->pc != note->from.pc ||
	    from->sp != note->from.sp || from->pc_is_exact != note->from.pc_is_exact ||
	    (note->uses_first_rbp && from->rbp != note->from.rbp) ||
	    atomic_load_explicit(&unwind_by_frame_pointers, memory_order_relaxed))
		return 0;
	/* Every word lies in [from->sp, top of this thread's stack): the
	 * caller's live frames, readable. */
	for (int i = 0; i < note->reads; i++)
		if (*(const volatile uintptr_t *)note->addr[i] != note->value[i])
			return 0;
	return 1;
}

#define SIGNAL_WALK_MAX 4096   /* frames walked looking for signal frames */

int unwind_signal_frames(int (*visit)(const void *context, void *arg), void *arg)
{
	struct unwind_regs regs = caller_regs();
	struct stack_memory mem = { .lo = regs.sp, .hi = thread_stack_top(regs.sp) };
	struct frame_rule_slot *rules = frame_rule_table();
	int crossed = 0;
	if (mem.hi < sizeof(uintptr_t))
		return -1;
	for (int n = 0; n < SIGNAL_WALK_MAX; n++) {
		struct frame_rule rule =
		    frame_rule_lookup(rules, regs.pc_is_exact ? regs.pc : regs.pc - 1);
		if (rule.kind == FRAME_LAST)
			return crossed;
		if (rule.kind == FRAME_SIGNAL && !visit((const void *)regs.sp, arg))
			return -1;
		crossed += rule.kind == FRAME_SIGNAL;
		if (!step(&regs, &mem, rules, NULL))
			return -1;
	}
	return -1;
}
