/*
 * gzip_sink.c — gzip compression into an output function or memory (see
 * gzip_sink.h). Compressed output collects in a fixed chunk; each time the
 * chunk fills, and at the end, it is delivered: handed to the output or
 * copied to the memory buffer.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "encoder_sys.h"
#include "gzip_sink.h"

#define CHUNK_SIZE 65536
#define GZIP_LEVEL 1
#define GZIP_WINDOW_BITS (15 + 16)      /* 32 KiB window, gzip wrapper */
#define GZIP_MEM_LEVEL 8

static voidpf zlib_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	if (size != 0 && items > SIZE_MAX / size)
		return Z_NULL;
	return encoder_malloc((size_t)items * size);
}

static void zlib_free(voidpf opaque, voidpf address)
{
	(void)opaque;
	encoder_free(address);
}

static int fail(struct gzip_sink *sink, int error)
{
	if (sink->error == 0)
		sink->error = error;
	errno = sink->error;
	return -1;
}

int gzip_sink_open(struct gzip_sink *sink, profile_output output, void *output_ctx)
{
	memset(sink, 0, sizeof *sink);
	sink->output = output;
	sink->output_ctx = output_ctx;
	encoder_array_init(&sink->memory, 1);
	sink->stream.zalloc = zlib_alloc;
	sink->stream.zfree = zlib_free;
	sink->chunk = encoder_malloc(CHUNK_SIZE);
	if (sink->chunk == NULL)
		return fail(sink, ENOMEM);
	if (deflateInit2(&sink->stream, GZIP_LEVEL, Z_DEFLATED, GZIP_WINDOW_BITS,
	                 GZIP_MEM_LEVEL, Z_DEFAULT_STRATEGY) != Z_OK)
		return fail(sink, ENOMEM);
	sink->stream_ready = 1;
	sink->stream.next_out = sink->chunk;
	sink->stream.avail_out = CHUNK_SIZE;
	return 0;
}

static int append_to_memory(struct encoder_array *memory, const unsigned char *buf, size_t len)
{
	if (encoder_array_reserve(memory, len) < 0)
		return -1;
	memcpy(encoder_array_extend(memory, len), buf, len);
	return 0;
}

/* Delivers the compressed bytes in the chunk and empties it. */
static int deliver_chunk(struct gzip_sink *sink)
{
	size_t len = CHUNK_SIZE - sink->stream.avail_out;
	int rc = 0;

	if (len == 0)
		return 0;
	if (sink->output != NULL)
		rc = sink->output(sink->output_ctx, sink->chunk, len);
	else
		rc = append_to_memory(&sink->memory, sink->chunk, len);
	if (rc < 0)
		return fail(sink, errno);
	sink->stream.next_out = sink->chunk;
	sink->stream.avail_out = CHUNK_SIZE;
	return 0;
}

/* Runs deflate with flush until it has consumed all input (Z_NO_FLUSH) or
 * written the trailer (Z_FINISH), delivering each full chunk. */
static int run_deflate(struct gzip_sink *sink, int flush)
{
	for (;;) {
		int rc = deflate(&sink->stream, flush);

		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
			return fail(sink, EIO);
		if (sink->stream.avail_out == 0 || rc == Z_STREAM_END)
			if (deliver_chunk(sink) < 0)
				return -1;
		if (rc == Z_STREAM_END)
			return 0;
		if (flush == Z_NO_FLUSH && sink->stream.avail_in == 0)
			return 0;
	}
}

int gzip_sink_append(struct gzip_sink *sink, const void *data, size_t len)
{
	const unsigned char *p = data;

	if (sink->error != 0)
		return fail(sink, sink->error);
	while (len > 0) {
		uInt piece = len > UINT_MAX ? UINT_MAX : (uInt)len;

		sink->stream.next_in = (unsigned char *)p;
		sink->stream.avail_in = piece;
		if (run_deflate(sink, Z_NO_FLUSH) < 0)
			return -1;
		p += piece;
		len -= piece;
	}
	return 0;
}

int gzip_sink_finish(struct gzip_sink *sink)
{
	if (sink->error != 0)
		return fail(sink, sink->error);
	sink->stream.next_in = NULL;
	sink->stream.avail_in = 0;
	return run_deflate(sink, Z_FINISH);
}

unsigned char *gzip_sink_take_memory(struct gzip_sink *sink, size_t *len)
{
	*len = sink->memory.count;
	return encoder_array_take(&sink->memory);
}

void gzip_sink_close(struct gzip_sink *sink)
{
	if (sink->stream_ready)
		deflateEnd(&sink->stream);
	sink->stream_ready = 0;
	encoder_free(sink->chunk);
	sink->chunk = NULL;
	encoder_array_free(&sink->memory);
}
