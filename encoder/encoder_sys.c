/*
 * encoder_sys.c — the production values of the encoder's seams (see
 * encoder_sys.h): plain libc allocation and write(2). Tests swap these
 * pointers to inject failed allocations and short or failed writes; the
 * agent may point the allocation seams at its own non-recursive allocator.
 */
#include <stdlib.h>
#include <unistd.h>

#include "encoder_sys.h"

void *(*encoder_malloc)(size_t size) = malloc;
void *(*encoder_realloc)(void *ptr, size_t size) = realloc;
void (*encoder_free)(void *ptr) = free;
ssize_t (*encoder_write)(int fd, const void *buf, size_t len) = write;
