/*
 * proc_maps.c — parses the executable lines of /proc/self/maps (see
 * proc_maps.h). The file is read whole with read(2) into a reused buffer and
 * parsed in place: each kept line's path is NUL-terminated inside the buffer.
 * A line looks like
 *   55d0c3a01000-55d0c3a05000 r-xp 00001000 08:01 1234   /usr/bin/prog (deleted)
 * and the path may contain spaces, so it runs from the first non-blank after
 * the inode to the end of the line.
 */
#include "proc_maps.h"

#include "private_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DELETED_SUFFIX " (deleted)"

/* Reads all of fd into pm->text (NUL-terminated), growing it as needed. */
static int read_whole_file(struct proc_maps *pm, int fd)
{
	size_t len = 0;
	for (;;) {
		if (pm->text_cap - len < 2) {
			size_t cap = pm->text_cap ? pm->text_cap * 2 : 65536;
			char *text = realloc(pm->text, cap);
			if (text == NULL)
				return -1;
			pm->text = text;
			pm->text_cap = cap;
		}
		ssize_t n = read(fd, pm->text + len, pm->text_cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	pm->text[len] = '\0';
	return 0;
}

static int append_segment(struct proc_maps *pm, const struct exec_segment *seg)
{
	if (pm->nsegs == pm->segs_cap) {
		size_t cap = pm->segs_cap ? pm->segs_cap * 2 : 64;
		struct exec_segment *segs = realloc(pm->segs, cap * sizeof *segs);
		if (segs == NULL)
			return -1;
		pm->segs = segs;
		pm->segs_cap = cap;
	}
	pm->segs[pm->nsegs++] = *seg;
	return 0;
}

static char *skip_blanks(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static char *skip_field(char *p)
{
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	return skip_blanks(p);
}

/* Removes a trailing " (deleted)" from path; returns whether there was one. */
static int strip_deleted(char *path)
{
	size_t len = strlen(path), slen = strlen(DELETED_SUFFIX);
	if (len < slen || strcmp(path + len - slen, DELETED_SUFFIX) != 0)
		return 0;
	path[len - slen] = '\0';
	return 1;
}

/* Parses one NUL-terminated line. Returns 1 and fills seg for an executable
 * segment, 0 for any other (or malformed) line. */
static int parse_line(char *line, struct exec_segment *seg)
{
	char *p = line, *end;
	seg->start = strtoull(p, &end, 16);
	if (end == p || *end != '-')
		return 0;
	p = end + 1;
	seg->limit = strtoull(p, &end, 16);
	if (end == p || *end != ' ')
		return 0;
	p = skip_blanks(end);
	if (strlen(p) < 4 || p[2] != 'x')
		return 0;
	p = skip_field(p);               /* permissions */
	seg->offset = strtoull(p, &end, 16);
	if (end == p)
		return 0;
	p = skip_field(skip_field(skip_blanks(end))); /* device, inode */
	seg->path = p;
	seg->deleted = strip_deleted(p);
	return 1;
}

static int parse_text(struct proc_maps *pm)
{
	char *line = pm->text;
	while (*line != '\0') {
		char *nl = strchr(line, '\n');
		char *next = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = '\0';
		struct exec_segment seg;
		if (parse_line(line, &seg) && append_segment(pm, &seg) < 0)
			return -1;
		line = next;
	}
	return 0;
}

int proc_maps_read(struct proc_maps *pm, const char *file)
{
	pm->nsegs = 0;
	int fd = private_fd_open(file, O_RDONLY);
	if (fd < 0)
		return -1;
	int rc = read_whole_file(pm, fd);
	int saved = errno;
	close(fd);
	errno = saved;
	if (rc == 0)
		rc = parse_text(pm);
	if (rc < 0)
		pm->nsegs = 0;
	return rc;
}

int proc_maps_same(const struct proc_maps *a, const struct proc_maps *b)
{
	if (a->nsegs != b->nsegs)
		return 0;
	for (size_t i = 0; i < a->nsegs; i++) {
		const struct exec_segment *x = &a->segs[i], *y = &b->segs[i];
		if (x->start != y->start || x->limit != y->limit || x->offset != y->offset ||
		    x->deleted != y->deleted || strcmp(x->path, y->path) != 0)
			return 0;
	}
	return 1;
}

void proc_maps_free(struct proc_maps *pm)
{
	free(pm->text);
	free(pm->segs);
	memset(pm, 0, sizeof *pm);
}
