/*
 * symbolize_fixture_dso.c — a small shared object that tests/test_symbolize.c
 * dlopens, symbolizes, retains and dlcloses, to check that an unloaded
 * library's PCs still resolve when the symbolizer was told to keep it.
 */
#include <stdint.h>

uint64_t symbolize_fixture_dso_call_pc(int *line);
int symbolize_fixture_dso_leaf(int x);

static __attribute__((noipa)) uint64_t dso_return_pc(void)
{
	return (uint64_t)(uintptr_t)__builtin_return_address(0) - 1;
}

/* A PC at a call site in this function; *line is that call's line. */
uint64_t symbolize_fixture_dso_call_pc(int *line)
{
	uint64_t pc = dso_return_pc(); *line = __LINE__;
	__asm__ volatile("" : "+r"(pc));
	return pc;
}

int symbolize_fixture_dso_leaf(int x)
{
	return x * 3 + 1;
}
