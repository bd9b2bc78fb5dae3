/*
 * frame_rule.h — how to get from one stack frame to its caller's, for one
 * code address, in the compact form the unwinder caches (x86-64):
 *
 *   CFA = (rsp or rbp) + cfa_offset        (STANDARD)
 *   CFA = *(rbp + cfa_offset)              (ALIGNED: a prologue that
 *                                           realigned the stack)
 *   return address = *(CFA - 8)
 *   caller's rbp   = unchanged, *(CFA + rbp_offset) or *(rbp + rbp_offset)
 *
 * A rule that says LAST marks the outermost frame (_start, a thread's
 * start); SIGNAL marks glibc's signal return trampoline, where the caller's
 * registers are in the ucontext the kernel pushed; NONE means the frame
 * cannot be followed (no unwind data, or data the fast form cannot express)
 * and the stack ends there.
 */
#ifndef PPROF_AGENT_FRAME_RULE_H
#define PPROF_AGENT_FRAME_RULE_H

#include <stdint.h>

enum frame_kind { FRAME_NONE, FRAME_STANDARD, FRAME_ALIGNED, FRAME_LAST, FRAME_SIGNAL };
enum frame_cfa_reg { CFA_RSP, CFA_RBP };
enum frame_rbp_from { RBP_UNCHANGED, RBP_AT_CFA, RBP_AT_RBP };

struct frame_rule {
	int32_t cfa_offset;
	int16_t rbp_offset;
	uint8_t kind : 3;      /* enum frame_kind */
	uint8_t cfa_reg : 1;   /* enum frame_cfa_reg */
	uint8_t rbp_from : 2;  /* enum frame_rbp_from */
	uint8_t check;         /* the rule cache's (frame_rules.h); 0 elsewhere */
};

#endif
