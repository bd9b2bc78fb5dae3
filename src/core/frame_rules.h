/*
 * frame_rules.h — the unwinder's cache of frame rules, one per code
 * address met in a stack: a direct-mapped table of 16 Ki entries (256 KiB,
 * mapped at the first unwind) read and written without a lock by every
 * thread. A miss reads the rule from the call frame information
 * (eh_frame.h) and stores it; negative answers are cached too.
 *
 * An entry is two words, the address and the packed rule, and the packed
 * rule carries check bits derived from the address: a reader that meets an
 * entry half written by another thread for another address sees the check
 * fail and treats it as a miss.
 */
#ifndef PPROF_AGENT_FRAME_RULES_H
#define PPROF_AGENT_FRAME_RULES_H

#include <stdint.h>

#include "frame_rule.h"

struct frame_rule frame_rule_for(uintptr_t pc);

#endif
