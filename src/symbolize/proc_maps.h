/*
 * proc_maps.h — reads the executable segments out of /proc/self/maps, for
 * the symbolizer (symbolizer.c). One read keeps the file's text and a parsed
 * array of the lines whose permissions include 'x', in file order (so the
 * main executable comes first, as in Go's runtime/pprof). Comparing two reads
 * tells the symbolizer whether any object was loaded or unloaded since the
 * last snapshot; heap growth and other non-executable mappings do not count.
 */
#ifndef PPROF_AGENT_PROC_MAPS_H
#define PPROF_AGENT_PROC_MAPS_H

#include <stddef.h>
#include <stdint.h>

struct exec_segment {
	uint64_t start, limit, offset;  /* the address range and offset columns */
	const char *path;               /* points into proc_maps.text; "" for anonymous */
	int deleted;                    /* the line ended in " (deleted)", now removed from path */
};

/* The result of one read. Zero-initialise before the first proc_maps_read;
 * the buffers are reused by later reads and released by proc_maps_free. */
struct proc_maps {
	char *text;
	size_t text_cap;
	struct exec_segment *segs;
	size_t nsegs, segs_cap;
};

/* Reads and parses file (normally "/proc/self/maps"), replacing the previous
 * contents of pm. Returns 0, or -1 with errno (pm then holds no segments). */
int proc_maps_read(struct proc_maps *pm, const char *file);

/* Whether two reads list the same executable segments. */
int proc_maps_same(const struct proc_maps *a, const struct proc_maps *b);

void proc_maps_free(struct proc_maps *pm);

#endif
