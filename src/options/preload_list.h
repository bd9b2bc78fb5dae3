/*
 * preload_list.h — editing LD_PRELOAD, the list of libraries the dynamic
 * loader maps into every program before its own: the launcher puts the
 * agent first in it, and the agent takes itself out of it when
 * follow_children=0. ld.so separates entries with spaces or colons; the
 * lists written here use colons.
 */
#ifndef PPROF_AGENT_PRELOAD_LIST_H
#define PPROF_AGENT_PRELOAD_LIST_H

#include <stddef.h>

/* How the agent library's file is named; an entry naming a file whose name
 * starts so is the agent. */
#define AGENT_LIBRARY_NAME "libpprof-agent.so"

/* Whether list (may be NULL) names the agent library. */
int preload_list_has_agent(const char *list);

/* Writes library followed by the entries of list (may be NULL) into out.
 * Returns 0, or -1 when out is too small. */
int preload_list_prepend(const char *list, const char *library, char *out, size_t len);

/* Writes the entries of list that do not name the agent library into out
 * (possibly ""). Returns 0, or -1 when out is too small. */
int preload_list_without_agent(const char *list, char *out, size_t len);

#endif
