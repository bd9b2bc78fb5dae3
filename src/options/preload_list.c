/*
 * preload_list.c — see preload_list.h. Entries are walked in place; nothing
 * is allocated, so the agent can edit the list from its constructor.
 */
#include "preload_list.h"

#include <string.h>

#define SEPARATORS ": "

/* Whether the entry of n bytes at entry names the agent library: its last
 * path component starts with the library's name. */
static int names_agent(const char *entry, size_t n)
{
	const char *base = entry;
	for (size_t i = 0; i < n; i++)
		if (entry[i] == '/')
			base = entry + i + 1;
	size_t rest = n - (size_t)(base - entry);
	size_t want = strlen(AGENT_LIBRARY_NAME);
	return rest >= want && memcmp(base, AGENT_LIBRARY_NAME, want) == 0;
}

/* Appends the non-empty entries of list (but the agent's, with drop_agent)
 * to the used bytes of out, colon-separated; -1 when out is too small. */
static int copy_entries(const char *list, int drop_agent, char *out, size_t len, size_t used)
{
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, SEPARATORS);
		if (n > 0 && !(drop_agent && names_agent(p, n))) {
			size_t sep = used > 0;
			if (used + sep + n + 1 > len)
				return -1;
			if (sep)
				out[used++] = ':';
			memcpy(out + used, p, n);
			used += n;
		}
		p += n;
		p += strspn(p, SEPARATORS);
	}
	out[used] = '\0';
	return 0;
}

int preload_list_has_agent(const char *list)
{
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, SEPARATORS);
		if (n > 0 && names_agent(p, n))
			return 1;
		p += n;
		p += strspn(p, SEPARATORS);
	}
	return 0;
}

int preload_list_prepend(const char *list, const char *library, char *out, size_t len)
{
	size_t n = strlen(library);
	if (n + 1 > len)
		return -1;
	memcpy(out, library, n + 1);
	return copy_entries(list, 0, out, len, n);
}

int preload_list_without_agent(const char *list, char *out, size_t len)
{
	if (len == 0)
		return -1;
	return copy_entries(list, 1, out, len, 0);
}
