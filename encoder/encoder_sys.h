/*
 * encoder_sys.h — the encoder's seams to the outside world, in the manner of
 * jemalloc's prof_dump_open_file/prof_dump_write_file: every allocation and
 * every write(2) the encoder makes goes through these pointers, so tests can
 * inject a failed allocation or a short or failed write. Production code never
 * changes them.
 */
#ifndef PPROF_ENCODER_SYS_H
#define PPROF_ENCODER_SYS_H

#include <stddef.h>
#include <sys/types.h>

extern void *(*encoder_malloc)(size_t size);
extern void *(*encoder_realloc)(void *ptr, size_t size);
extern void (*encoder_free)(void *ptr);
extern ssize_t (*encoder_write)(int fd, const void *buf, size_t len);

#endif
