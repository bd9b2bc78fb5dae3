/*
 * waiting_unwind.c — walking a waiting thread's stack without its rbp (see
 * waiting_unwind.h).
 *
 * Finding a lost frame pointer. A function built with frame pointers keeps
 * its caller's rbp at [rbp] and its return address at [rbp + 8], and its
 * rule says CFA = rbp + 16; its rbp lies at or above its stack pointer. So
 * the scan looks, from the frame's stack pointer up (at most SCAN_MAX
 * bytes), for the first word that reads as a return address: an address
 * in a loaded object, with unwind rules, right after a call instruction.
 * Its slot is CFA - 8, which gives rbp. A local variable holding such an
 * address (rare: a return address is not a value programs keep) would be
 * taken for the frame's return address; the walk then shows a wrong
 * caller or ends early, and never reads outside the copy. Code built
 * without frame pointers never gets here.
 */
#include "waiting_unwind.h"

#include "unload_fence.h"

#include <dlfcn.h>
#include <sys/uio.h>
#include <unistd.h>

#include "frame_rules.h"

#define SCAN_MAX (64 * 1024)

/* Reads len bytes at addr of our own memory: 1, or 0 where a plain read
 * would have faulted. */
static int read_own_memory(uintptr_t addr, void *out, size_t len)
{
	struct iovec local = { out, len }, remote = { (void *)addr, len };
	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)len;
}

/* The length of the indirect call (FF /2) whose opcode is at op[0],
 * prefixes aside; 0 when op is not one. */
static int indirect_call_length(const unsigned char *op)
{
	unsigned mod = op[1] >> 6, rm = op[1] & 7;
	int len = 2;
	if (op[0] != 0xff || (op[1] & 0x38) != 0x10)
		return 0;
	if (mod == 3)
		return len;
	if (rm == 4) {
		len++;   /* SIB byte */
		if (mod == 0 && (op[2] & 7) == 5)
			len += 4;
	} else if (mod == 0 && rm == 5) {
		len += 4;   /* rip-relative */
	}
	return len + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

int follows_call(uintptr_t ra)
{
	unsigned char code[8];   /* [ra - 7, ra + 1) */
	if (ra < 8 || !read_own_memory(ra - 7, code, sizeof code))
		return 0;
	if (code[2] == 0xe8)   /* call rel32 */
		return 1;
	for (int len = 2; len <= 7; len++)
		if (indirect_call_length(&code[7 - len]) == len)
			return 1;
	return 0;
}

static int looks_like_return_address(uintptr_t ra)
{
	struct dl_find_object o;
	if (ra < 8 || _dl_find_object((void *)(ra - 1), &o) != 0 || !follows_call(ra))
		return 0;
	return frame_rule_for(ra - 1).kind != FRAME_NONE;
}

/* When the rule of the frame regs holds needs rbp: finds it (above) and
 * returns 1 with regs->rbp set; 0 otherwise. */
static int recover_frame_pointer(struct unwind_regs *regs, const struct stack_memory *mem)
{
	struct frame_rule rule = frame_rule_for(regs->pc_is_exact ? regs->pc : regs->pc - 1);
	if (rule.kind != FRAME_STANDARD || rule.cfa_reg != CFA_RBP || rule.cfa_offset < 16)
		return 0;
	uintptr_t end = mem->hi - regs->sp > SCAN_MAX ? regs->sp + SCAN_MAX : mem->hi;
	for (uintptr_t cfa = regs->sp + (uintptr_t)rule.cfa_offset; cfa <= end; cfa += 8) {
		uintptr_t ra;
		if (!stack_memory_read(mem, cfa - 8, &ra))
			return 0;
		if (looks_like_return_address(ra)) {
			regs->rbp = cfa - (uintptr_t)rule.cfa_offset;
			return 1;
		}
	}
	return 0;
}

size_t unwind_waiting_thread(struct unwind_regs from, const struct stack_memory *mem,
                             uintptr_t *pcs, size_t max)
{
	struct unwind_regs regs = from;
	size_t n = 0;
	if (mem->hi < mem->lo + sizeof(uintptr_t) || regs.sp < mem->lo || regs.sp >= mem->hi)
		return 0;
	regs.rbp = 0;   /* not known; a walk that needs it stops */
	unload_fence_walk_begin();   /* another thread's stack: see unload_fence.h */
	for (;;) {
		n += unwind_stack_until(&regs, mem, pcs + n, max - n);
		if (n == 0 || n == max || regs.rbp != 0 || !recover_frame_pointer(&regs, mem))
			break;
		n--;   /* the frame where the walk stopped is walked again, with its rbp */
	}
	unload_fence_walk_end();
	return n;
}
