/*
 * stack.c — unwinds the calling thread and cuts the agent's own frames
 * (see stack.h): those of the agent above the hook, and the start wrapper
 * at the root of the host's threads.
 */
#include "stack.h"

#include "core.h"
#include "core_sys.h"
#include "unwind.h"

/* Bounds of the hooks section, provided by the linker. */
extern const char __start_pprof_agent_hooks[] __attribute__((weak, visibility("hidden")));
extern const char __stop_pprof_agent_hooks[] __attribute__((weak, visibility("hidden")));

/* Frames the agent itself may put above the hook: the capture, the
 * recording function, the hook's slow path. */
#define AGENT_FRAMES_MAX 8

/* One unsigned compare: pc below the section wraps to a large offset. */
static int in_hooks(uintptr_t pc)
{
	return pc - (uintptr_t)__start_pprof_agent_hooks <
	       (uintptr_t)__stop_pprof_agent_hooks - (uintptr_t)__start_pprof_agent_hooks;
}

/* The unwinder's note counter after this thread's last capture from given
 * registers, when the unwinder noted that walk; else 0. */
static __thread unsigned long captured_walk;

size_t stack_capture(uintptr_t *pcs, size_t max, const struct unwind_regs *from)
{
	void *raw[STACK_MAX + AGENT_FRAMES_MAX];
	if (max > STACK_MAX)
		max = STACK_MAX;
	unsigned long before = unwind_note_last.walk;
	int n = core_sys.unwind(from, raw, (int)(max + AGENT_FRAMES_MAX));
	const struct unwind_note *note = &unwind_note_last;
	captured_walk = from && note->walk == before + 1 && note->complete ? note->walk : 0;
	if (n <= 0)
		return 0;
	/* Skip up to and including the last agent hook frame among the first
	 * few: a hook called from a hook (realloc -> our free path) counts. */
	size_t first = 0;
	for (size_t i = 0; i < (size_t)n && i < AGENT_FRAMES_MAX + 2; i++)
		if (in_hooks((uintptr_t)raw[i]))
			first = i + 1;
	if (first >= (size_t)n)
		first = 0;
	/* Past the host's frames, the only agent code is the wrapper that
	 * starts the host's threads: left out, as Go leaves out goexit. */
	size_t count = 0;
	for (size_t i = first; i < (size_t)n && count < max; i++)
		if (!in_hooks((uintptr_t)raw[i]))
			pcs[count++] = (uintptr_t)raw[i];
	return count;
}

unsigned long stack_capture_repeats(size_t max, const struct unwind_regs *from)
{
	const struct unwind_note *note = &unwind_note_last;
	if (max > STACK_MAX)
		max = STACK_MAX;
	if (captured_walk == 0 || captured_walk != note->walk ||
	    !unwind_note_repeats(note, from, (int)(max + AGENT_FRAMES_MAX)))
		return 0;
	return captured_walk;
}

unsigned long stack_capture_number(void)
{
	return captured_walk;
}
