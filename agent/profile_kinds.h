/*
 * profile_kinds.h — turns the bucket lists into profiles, one function per
 * kind, the way runtime/pprof's writeHeap/writeBlock/writeRuntimeProfile
 * do: it reads the records, scales them, resolves every stack through the
 * symbolizer and hands the result to the encoder. Runs on the agent thread
 * (or an API caller) with the reentrancy guard raised.
 */
#ifndef PPROF_AGENT_PROFILE_KINDS_H
#define PPROF_AGENT_PROFILE_KINDS_H

#include "profile_builder.h"
#include "symbolize.h"

enum profile_kind {
	KIND_HEAP,
	KIND_ALLOCS,
	KIND_BLOCK,
	KIND_MUTEX,
	KIND_THREADCREATE,
	KIND_COUNT
};

const char *profile_kind_name(enum profile_kind kind);
/* Returns the kind named name, or -1. */
int profile_kind_from_name(const char *name);

/* Builds the profile of kind now. sym may be NULL: locations are then left
 * unsymbolized. Returns NULL with errno on failure. */
profile_builder *profile_build(enum profile_kind kind, symbolizer *sym);

#endif
