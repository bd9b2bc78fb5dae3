/*
 * module_instances.h — shared objects as the profile must tell them apart:
 * a module instance is one file loaded at one load bias. The log lists the
 * instances the program has unloaded (dlclose), and those later found
 * running at the addresses of one it unloaded; docs/module-identity.md has
 * the whole design.
 *
 * The dlclose hook lists the objects a dlclose may unload before the real
 * dlclose runs (module_instance_get), and marks those gone after it
 * (module_instance_unloaded). The addresses an unloaded instance spanned
 * are then "reused ranges": a frame there may belong to another file. Stack
 * capture tells them apart with module_tags.h, and the report names each
 * frame from the instance it ran in, even after it is gone.
 *
 * The module era (module_era_now) says whether the address space may have
 * changed under a stack's identity since it was last confirmed: it counts
 * dlcloses that unloaded something, and while a dlclose is under way it
 * carries an in-progress count in its high bits, so no value read then is
 * ever stored as a confirmation (MODULE_ERA_STABLE). Era 0 means no object
 * was ever unloaded.
 *
 * A lock-free list: entries are pushed at the head with a compare-and-swap
 * and never removed; only their unload order and tagged mark change, once.
 * Any thread may add, the agent thread may walk it at any time. Entries
 * live in the arena, one per file and bias however often a program loads
 * and unloads it, so a dlopen/dlclose loop adds nothing after its first
 * round.
 */
#ifndef PPROF_AGENT_MODULE_INSTANCES_H
#define PPROF_AGENT_MODULE_INSTANCES_H

#include <stdatomic.h>
#include <stdint.h>

/* Instance indexes are 1..MODULE_INSTANCE_MAX (15 bits, module_tags.h); an
 * instance listed after those are used up gets index 0 and is never a tag. */
#define MODULE_INSTANCE_MAX 32767u

struct module_instance {
	const struct module_instance *next;   /* older entry */
	uint64_t load_bias;                   /* link_map.l_addr */
	uintptr_t start, limit;               /* the addresses the object spans */
	uint32_t index;                       /* 1..MODULE_INSTANCE_MAX, or 0 */
	atomic_uint_least64_t unloaded;       /* order of its first unload (1, 2, ...); 0: never */
	atomic_uchar tagged;                  /* some frame was tagged with it */
	const char *path;                     /* the file to read its symbols from */
	char name[];                          /* link_map.l_name: the identity */
};

/* The instance of (name, bias), listed if new with path and its address
 * range. NULL when the arena has no room (the instance then goes
 * unrecognised: its frames are named by address, as without this log). */
const struct module_instance *module_instance_get(const char *name, const char *path,
                                                  uint64_t load_bias, uintptr_t start,
                                                  uintptr_t limit);

/* Marks m unloaded (its first unload only counts) and its range reused. */
void module_instance_unloaded(const struct module_instance *m);

/* Notes that a frame was tagged with m (the report then keeps its symbols). */
void module_instance_note_tagged(const struct module_instance *m);

/* The newest entry, or NULL; follow next for the older ones. */
const struct module_instance *module_instances_newest(void);

/* The instance of index i, or NULL. */
const struct module_instance *module_instance_by_index(uint32_t i);

/* The first instance unloaded from the addresses holding pc: the one whose
 * code ran there before any unload, so an untagged frame at pc belongs to
 * it. NULL when no instance unloaded from pc. */
const struct module_instance *module_instance_original_at(uintptr_t pc);

/* The lowest and highest address of every reused range (*lo >= *hi when
 * none): a quick "certainly not reused" test for frames. */
void module_reused_bounds(uintptr_t *lo, uintptr_t *hi);

/* ---- the module era ---- */

#define MODULE_ERA_BUSY_ONE (UINT64_C(1) << 48)
#define MODULE_ERA_STABLE(era) ((era) < MODULE_ERA_BUSY_ONE)

uint64_t module_era_now(void);

/* Brackets the real dlclose: begin before it; end after it, saying whether
 * anything was unloaded (only then does a stack's identity need a new
 * look). */
void module_unload_begin(void);
void module_unload_end(int unloaded_any);

#endif
