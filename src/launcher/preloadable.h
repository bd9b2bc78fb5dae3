/*
 * preloadable.h — whether the agent can profile a program at all, told
 * before it runs: a statically linked program loads no preloaded library,
 * and a Go program allocates without malloc, so the launcher says so in one
 * line instead of leaving the user with an empty directory.
 */
#ifndef PPROF_AGENT_PRELOADABLE_H
#define PPROF_AGENT_PRELOADABLE_H

#include <stddef.h>

/* Looks at the program execvp would run for name (searching PATH when name
 * has no slash). Returns 1 when the agent can profile it (or when it is not
 * an ELF file: a script's interpreter is looked at when it runs), else 0
 * with one line in why. */
int program_is_preloadable(const char *name, char *why, size_t len);

#endif
