/*
 * gzip_sink.h — the encoder's output end: bytes appended to a sink are
 * gzip-compressed (one member, level 1, as Go's runtime/pprof writes) and go
 * either to the caller's output function or to a growing memory buffer.
 * zlib's own memory comes from the encoder_sys seams too, so tests can fail
 * any allocation.
 *
 * Usage: open, append any number of times, finish, close. Errors are sticky:
 * after the first failure every later call returns -1 with the same errno.
 * Close always releases everything and may be called after any failure.
 */
#ifndef PPROF_ENCODER_GZIP_SINK_H
#define PPROF_ENCODER_GZIP_SINK_H

#include <stddef.h>
#include <zlib.h>

#include "encoder_array.h"
#include "profile_builder.h"

struct gzip_sink {
	z_stream stream;
	int stream_ready;               /* deflateInit2 succeeded */
	unsigned char *chunk;           /* compressed bytes waiting to be delivered */
	profile_output output;          /* NULL: deliver into memory */
	void *output_ctx;
	struct encoder_array memory;    /* unsigned char, when fd is -1 */
	int error;                      /* errno of the first failure, or 0 */
};

/* Opens a sink that delivers to output (or into memory when output is
 * NULL). */
int gzip_sink_open(struct gzip_sink *sink, profile_output output, void *output_ctx);

int gzip_sink_append(struct gzip_sink *sink, const void *data, size_t len);

/* Writes the gzip trailer and delivers everything still buffered. */
int gzip_sink_finish(struct gzip_sink *sink);

/* For a finished memory sink: hands over the buffer (freed with
 * encoder_free) and its length; the sink no longer owns it. */
unsigned char *gzip_sink_take_memory(struct gzip_sink *sink, size_t *len);

void gzip_sink_close(struct gzip_sink *sink);

#endif
