/*
 * program_site.h — a return address inside the test program itself, for
 * the tests that symbolize one: site_in_this_program() returns the
 * address its call to return_address() comes back to.
 */
#ifndef PPROF_AGENT_PROGRAM_SITE_H
#define PPROF_AGENT_PROGRAM_SITE_H

#include <stdint.h>

static __attribute__((noipa)) uintptr_t return_address(void)
{
	return (uintptr_t)__builtin_return_address(0);
}

static __attribute__((noipa)) uintptr_t site_in_this_program(void)
{
	uintptr_t ra = return_address();
	__asm__ volatile("" : "+r"(ra));
	return ra;
}

#endif
