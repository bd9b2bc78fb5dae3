/*
 * module_tags.c — tagging the frames of a stack with the module instance
 * they ran in, and the address a frame is symbolized at (see
 * module_tags.h). A return address may be the first byte past its call's
 * object, so the object of a frame is looked up at address - 1.
 */
#include "module_tags.h"

#include <string.h>

#include "core_sys.h"

/* Whether the loader's object o is instance m (same name, same bias). */
static int is_instance(const struct loaded_object *o, const struct module_instance *m)
{
	return o->bias == m->load_bias && strcmp(o->name, m->name) == 0;
}

static uintptr_t tagged_frame(uintptr_t pc)
{
	const struct module_instance *original, *now;
	struct loaded_object o;
	if (pc == 0 || pc - 1 > MODULE_ADDRESS_MASK)
		return pc;
	original = module_instance_original_at(pc - 1);
	if (original == NULL || core_sys.object_at(pc - 1, &o) != 0 || is_instance(&o, original))
		return pc;
	now = module_instance_get(o.name, o.name, o.bias, o.start, o.limit);
	if (now == NULL || now->index == 0)
		return pc;
	module_instance_note_tagged(now);
	return pc | module_instance_offset(now);
}

size_t module_tag_stack(const uintptr_t *pcs, uintptr_t *out, size_t n)
{
	uintptr_t lo, hi;
	size_t tagged = 0;
	module_reused_bounds(&lo, &hi);
	for (size_t i = 0; i < n; i++) {
		out[i] = pcs[i];
		if (pcs[i] > lo && pcs[i] - 1 < hi) {
			out[i] = tagged_frame(pcs[i]);
			tagged += out[i] != pcs[i];
		}
	}
	return tagged;
}

uintptr_t frame_symbol_address(uintptr_t frame)
{
	if (frame & MODULE_TAG_BIT)
		return frame;
	const struct module_instance *original = frame ? module_instance_original_at(frame - 1) : NULL;
	return original ? frame + module_instance_offset(original) : frame;
}
