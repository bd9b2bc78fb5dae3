/*
 * eh_frame.h — the rule for one code address, read from the DWARF call
 * frame information every object carries for exceptions (.eh_frame, found
 * through its .eh_frame_hdr search table).
 *
 * The object is found with glibc's _dl_find_object, which takes no lock and
 * allocates nothing; the call frame program is interpreted up to the
 * address, with a small fixed state. Nothing here allocates, locks, makes a
 * system call or reads memory outside the object's unwind data, so it may
 * run on any thread at any time (but it costs a microsecond or so: the
 * unwinder caches its answers, frame_rules.h).
 */
#ifndef PPROF_AGENT_EH_FRAME_H
#define PPROF_AGENT_EH_FRAME_H

#include <stdint.h>

#include "frame_rule.h"

/* The rule for the instruction at pc (for a return address, pass the
 * address minus one, which lies inside the call). Kind FRAME_NONE when pc
 * is in no loaded object or its data cannot be used. */
struct frame_rule eh_frame_rule(uintptr_t pc);

/* The same, from a given .eh_frame_hdr (for tests and for objects found
 * another way). */
struct frame_rule eh_frame_rule_in(const unsigned char *eh_frame_hdr, uintptr_t pc);

#endif
