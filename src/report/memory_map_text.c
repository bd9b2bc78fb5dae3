/*
 * memory_map_text.c — the memory map after a debug=1 text (see
 * text_forms.h): the line `--- Memory map: ---` and /proc/self/maps as it
 * reads, the section pprof's legacy parsers take the mappings from, so
 * that the addresses of a position-independent program or a library are
 * symbolized from the right files (Go's own texts have none: a Go binary
 * is not relocated). Written as far as it could be read.
 */
#include <fcntl.h>
#include <unistd.h>

#include "private_fd.h"
#include "text_forms.h"

void memory_map_text(struct text_out *t)
{
	char buf[4096];
	ssize_t n;
	text_printf(t, "\n--- Memory map: ---\n");
	int fd = private_fd_open("/proc/self/maps", O_RDONLY);
	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		text_put(t, buf, (size_t)n);
	close(fd);
}
