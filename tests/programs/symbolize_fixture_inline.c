/*
 * symbolize_fixture_inline.c — a fixture for tests/test_symbolize.c, built
 * with -O2 whatever CFLAGS say (the pragma below) so that the symbolizer meets
 * real optimised inline chains: symbolize_fixture_inline_run (physical)
 * inlines fixture_mid, which inlines fixture_inner, which calls a function
 * that is never inlined and returns its own return address minus one. That
 * PC lies in the inlined body of fixture_inner.
 */
#pragma GCC optimize("O2")

#include <stdint.h>

uint64_t symbolize_fixture_inline_run(int lines[3]);

static __attribute__((noipa)) uint64_t fixture_return_pc(void)
{
	return (uint64_t)(uintptr_t)__builtin_return_address(0) - 1;
}

static inline __attribute__((always_inline)) uint64_t fixture_inner(int lines[3])
{
	uint64_t pc = fixture_return_pc(); lines[0] = __LINE__;
	__asm__ volatile("" : "+r"(pc));
	return pc;
}

static inline __attribute__((always_inline)) uint64_t fixture_mid(int lines[3])
{
	uint64_t pc = fixture_inner(lines); lines[1] = __LINE__;
	__asm__ volatile("" : "+r"(pc));
	return pc;
}

/* Returns a PC inside the inlined fixture_inner and stores the expected
 * lines: the call in fixture_inner, then the call sites of fixture_inner
 * (in fixture_mid) and of fixture_mid (here). */
__attribute__((noipa)) uint64_t symbolize_fixture_inline_run(int lines[3])
{
	uint64_t pc = fixture_mid(lines); lines[2] = __LINE__;
	__asm__ volatile("" : "+r"(pc));
	return pc;
}
