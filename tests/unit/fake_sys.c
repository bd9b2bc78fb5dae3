/*
 * fake_sys.c — the scripted seams of fake_sys.h.
 */
#include "fake_sys.h"

#include <string.h>

#include "core_sys.h"

#define MAX_SCRIPT 64

static struct core_sys production;
static int64_t clock_now;
static uint64_t random_values[MAX_SCRIPT];
static size_t random_n, random_next;
static uintptr_t stack_pcs[MAX_SCRIPT];
static size_t stack_n;
static int map_failures;
static struct loaded_object object;

static int64_t fake_nanotime(void)
{
	return clock_now;
}

static uint64_t fake_random(void)
{
	if (random_n == 0)
		return 0;
	uint64_t v = random_values[random_next < random_n ? random_next : random_n - 1];
	random_next++;
	return v;
}

static int fake_unwind(const struct unwind_regs *from, void **pcs, int max)
{
	(void)from;
	int n = (int)stack_n < max ? (int)stack_n : max;
	for (int i = 0; i < n; i++)
		pcs[i] = (void *)stack_pcs[i];
	return n;
}

static void *fake_map(size_t len)
{
	if (map_failures > 0) {
		map_failures--;
		return NULL;
	}
	return production.map(len);
}

static int fake_object_at(uintptr_t pc, struct loaded_object *out)
{
	if (object.name == NULL || pc < object.start || pc >= object.limit)
		return -1;
	*out = object;
	return 0;
}

void fake_sys_install(void)
{
	if (production.map == NULL)
		production = core_sys;
	core_sys.nanotime = fake_nanotime;
	core_sys.random = fake_random;
	core_sys.unwind = fake_unwind;
	core_sys.map = fake_map;
	core_sys.object_at = fake_object_at;
	clock_now = 0;
	random_n = random_next = 0;
	stack_n = 0;
	map_failures = 0;
	object.name = NULL;
}

void fake_sys_restore(void)
{
	if (production.map != NULL)
		core_sys = production;
}

void fake_clock_set(int64_t now_ns)
{
	clock_now = now_ns;
}

void fake_random_script(const uint64_t *values, size_t n)
{
	random_n = n < MAX_SCRIPT ? n : MAX_SCRIPT;
	memcpy(random_values, values, random_n * sizeof *values);
	random_next = 0;
}

void fake_stack_set(const uintptr_t *pcs, size_t n)
{
	stack_n = n < MAX_SCRIPT ? n : MAX_SCRIPT;
	memcpy(stack_pcs, pcs, stack_n * sizeof *pcs);
}

void fake_map_fail_next(int count)
{
	map_failures = count;
}

void fake_object_set(const char *name, uint64_t bias, uintptr_t start, uintptr_t limit)
{
	object = (struct loaded_object){ name, bias, start, limit };
}
