/*
 * child_env.h — what programs this one executes inherit. With
 * follow_children=0 they must run without the agent. The runtime takes the
 * agent out of the process's own LD_PRELOAD at start, which is what the
 * libc exec functions pass on; but a program that keeps its own environment
 * (bash does) passes its own copy to execve, so the exec hooks
 * (src/hooks/exec_hooks.c) edit that too, with the filter the runtime sets
 * here. NULL: children are followed, and the hooks pass through.
 */
#ifndef PPROF_AGENT_CHILD_ENV_H
#define PPROF_AGENT_CHILD_ENV_H

#include <stdatomic.h>
#include <stddef.h>

/* Writes the LD_PRELOAD value list without the agent into out; 0, or -1
 * when out is too small. */
typedef int (*preload_filter)(const char *list, char *out, size_t len);

extern preload_filter _Atomic child_preload_filter;

#endif
