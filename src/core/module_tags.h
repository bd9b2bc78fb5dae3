/*
 * module_tags.h — frames that say which module instance they ran in
 * (docs/module-identity.md).
 *
 * A frame in a reused range (module_instances.h) whose code is not the
 * range's original instance's is stored tagged: the top bit set and the
 * index of the instance that ran there in the 15 bits above the address.
 * So two libraries loaded one after the other at the same address give
 * different stacks, while the same library loaded again where it was gives
 * the same stack as before (its frames are the original's, untagged), and a
 * dlopen/dlclose loop makes no new bucket.
 *
 * Read the other way, a tagged frame is an address in its instance's own
 * copy of the address space: the instance's address plus
 * module_instance_offset(m), above every user address. The report has
 * the symbolizer keep each unloaded or tagged instance at that offset, so
 * a frame is named from the file that ran there, and writes real
 * addresses (real_address) into the profile.
 */
#ifndef PPROF_AGENT_MODULE_TAGS_H
#define PPROF_AGENT_MODULE_TAGS_H

#include <stddef.h>
#include <stdint.h>

#include "module_instances.h"

#define MODULE_TAG_BIT (UINT64_C(1) << 63)
#define MODULE_TAG_SHIFT 48
#define MODULE_ADDRESS_MASK ((UINT64_C(1) << MODULE_TAG_SHIFT) - 1)

/* The real address of a frame (tagged or not), or of an address in an
 * instance's copy. */
static inline uintptr_t real_address(uintptr_t frame)
{
	return (frame & MODULE_TAG_BIT) ? (frame & MODULE_ADDRESS_MASK) : frame;
}

/* Where m's own copy of the address space starts (0 for an instance
 * without an index, which is then known by its real address). */
static inline uint64_t module_instance_offset(const struct module_instance *m)
{
	return m->index ? MODULE_TAG_BIT | ((uint64_t)m->index << MODULE_TAG_SHIFT) : 0;
}

/* Writes the n return addresses of pcs to out, each frame tagged where it
 * ran in a reused range in an instance other than the range's original
 * one; returns how many were tagged. Sampled path only, after an unload
 * (era != 0); a few compares per frame outside the reused ranges. */
size_t module_tag_stack(const uintptr_t *pcs, uintptr_t *out, size_t n);

/* The address to symbolize frame at (a return address, tagged or not): in
 * the copy of the instance it ran in, or its own. */
uintptr_t frame_symbol_address(uintptr_t frame);

#endif
