/*
 * unwind.h — the agent's stack unwinder (x86-64), following each frame to
 * its caller with the rules of frame_rules.h.
 *
 * It never faults and never makes a system call on its path: every read of
 * the stack is checked against the stack's bounds first, the rules come
 * from the object's mapped unwind data through a lock-free cache, and the
 * object is found with _dl_find_object, which takes no lock. A frame whose
 * rule cannot be followed ends the stack. Through a signal handler's frame
 * it continues into the interrupted code, from the registers the kernel
 * saved.
 *
 * The memory walked is either the calling thread's own stack or a copy of
 * part of a stack (a CPU sample, another thread's stack): the same rules
 * apply to both.
 */
#ifndef PPROF_AGENT_UNWIND_H
#define PPROF_AGENT_UNWIND_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Where unwinding starts. pc is a return address (look up pc - 1) unless
 * pc_is_exact (an interrupted instruction, e.g. from a signal context). */
struct unwind_regs {
	uintptr_t pc, sp, rbp;
	int pc_is_exact;
};

/* The stack memory [lo, hi): read in place, or, when copy is not NULL,
 * from copy, which holds those bytes. */
struct stack_memory {
	uintptr_t lo, hi;
	const unsigned char *copy;
};

/* Reads the word at addr into *out: 1, or 0 when it is not all inside
 * [lo, hi). Callers make sure hi is at least 8 (so hi - 8 cannot wrap). */
static inline int stack_memory_read(const struct stack_memory *m, uintptr_t addr, uintptr_t *out)
{
	if (__builtin_expect(addr < m->lo || addr > m->hi - sizeof(uintptr_t), 0))
		return 0;
	const void *from = m->copy ? m->copy + (addr - m->lo) : (const void *)addr;
	memcpy(out, from, sizeof *out);
	return 1;
}

/* Writes up to max code addresses, innermost first, starting with
 * regs.pc, and returns how many. Each is a return address, or, for a frame
 * whose pc was exact, that pc plus one, so that every entry minus one lies
 * in the instruction it names. */
size_t unwind_stack(struct unwind_regs regs, const struct stack_memory *mem, uintptr_t *pcs,
                    size_t max);

/* The same walk, leaving in *regs the registers of the last frame written,
 * where it stopped (so a caller that can recover what the walk lacked, a
 * frame pointer, say, can go on from there). */
size_t unwind_stack_until(struct unwind_regs *regs, const struct stack_memory *mem,
                          uintptr_t *pcs, size_t max);

/* The same walk by frame pointers: each frame's rbp points at the saved
 * rbp of its caller, with the return address above it. A frame of the
 * agent's own code (built without frame pointers) is still followed by its
 * rules. The walk ends where the chain stops going up the stack, leaves
 * it, or is misaligned; in code built without frame pointers it may end
 * early or, at worst, add a frame that is not a caller. */
size_t unwind_stack_fp(struct unwind_regs regs, const struct stack_memory *mem, uintptr_t *pcs,
                       size_t max);

/* Walks the calling thread's stack by the unwind tables to its outermost
 * frame (_start, a thread's start), calling visit with the ucontext_t the
 * kernel saved in each signal frame it crosses (the code a handler
 * interrupted), innermost first. Returns how many it crossed (0: no
 * signal handler is running), or -1 when visit returned 0 for one or the
 * walk cannot reach the outermost frame (a frame it cannot follow, or a
 * stack deeper than it walks). Lock-free, async-signal-safe. */
int unwind_signal_frames(int (*visit)(const void *context, void *arg), void *arg);

/* Whether pc lies in the agent's own object (found once; lock-free,
 * async-signal-safe). */
int unwind_in_agent(uintptr_t pc);

/*
 * A walk's note: the registers it started from and every stack word it
 * read, address and value. The walk is a function of those (the rules
 * depend only on the code addresses, which the words and registers give,
 * and on what is loaded, which the module era tells), so while they are
 * unchanged a walk from the same registers would write the same frames:
 * a caller that kept what it made of the frames (the bucket) may use it
 * again (buckets.c does, per thread). The first rbp counts only when some
 * rule read it before a frame restored rbp from the stack: compilers use
 * rbp as an ordinary register in code without frame pointers.
 */
#define UNWIND_NOTE_READS 32

struct unwind_note {
	unsigned long walk;            /* counts the thread's noted walks */
	struct unwind_regs from;
	int max;
	int complete;                  /* every word fitted, no signal frame */
	int reads;
	int rbp_is_first, uses_first_rbp;
	uintptr_t addr[UNWIND_NOTE_READS], value[UNWIND_NOTE_READS];
};

/* The note of the calling thread's last walk by rules from given
 * registers (unwind_current_thread with from not NULL); complete only
 * when the walk before it started at the same pc and sp. */
extern __thread struct unwind_note unwind_note_last;

/* 1 when a walk of the calling thread from from, of at most max frames,
 * would read exactly what note's walk read (so write the same frames). */
int unwind_note_repeats(const struct unwind_note *note, const struct unwind_regs *from, int max);

/* The calling thread's stack, from from (the registers of a host function
 * at its call into the agent), or, when from is NULL, from the caller of
 * this function; by frame pointers when unwind_by_frame_pointers is set
 * (rates.h). The unwinder seam's production value (core_sys.h). A walk
 * by rules from from is noted in unwind_note_last. */
int unwind_current_thread(const struct unwind_regs *from, void **pcs, int max);

#endif
