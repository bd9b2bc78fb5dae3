/*
 * profile_writer.c — the writer half of the encoder (profile_write and
 * profile_write_buffer in profile_builder.h): turns the tables of
 * profile_tables.h into profile.proto messages, packs them with protobuf-c
 * and streams the bytes through a gzip_sink.
 *
 * Streaming without building the whole message: protobuf defines the
 * concatenation of two encoded messages as their merge, and merging appends
 * repeated fields in order. So the profile is written as a sequence of small
 * Profile messages, each holding one mapping, function, location or sample,
 * or a batch of strings, plus one header part with the scalar fields and the
 * sample types. Proto3 leaves zero scalars out, so the parts never repeat
 * time_nanos (which pprof would reject as "concatenated profiles"), and the
 * result reads back as exactly one Profile. Memory use is one part at a
 * time, whatever the size of the profile.
 *
 * Each part is sized with protobuf_c_message_get_packed_size and packed with
 * protobuf_c_message_pack into scratch memory from the encoder_sys seams;
 * samples, the bulk of a profile, were put in the same wire format when
 * they were added (sample_wire.h) and go to the compressor as they are.
 * (protobuf_c_message_pack_to_buffer is avoided on purpose: for nested
 * messages it allocates with the system malloc, outside the seams, and
 * silently drops bytes if that allocation fails.) Packed parts collect until
 * PACKED_BATCH bytes and are then compressed in one go.
 */
#include <errno.h>

#include "encoder_sys.h"
#include "gzip_sink.h"
#include "profile.pb-c.h"
#include "profile_tables.h"

#define PACKED_BATCH 65536
#define STRINGS_PER_PART 1024

/* Scratch for one repeated sub-message field: the messages and the array of
 * pointers to them that protobuf-c wants. */
struct message_list {
	struct encoder_array messages;
	struct encoder_array pointers;  /* ProtobufCMessage * */
};

struct profile_writer {
	const profile_builder *pb;
	struct gzip_sink *sink;
	struct encoder_array packed;    /* unsigned char: parts not yet compressed */
	struct message_list lines;
	struct message_list sample_types;
};

static void message_list_init(struct message_list *list, size_t message_size)
{
	encoder_array_init(&list->messages, message_size);
	encoder_array_init(&list->pointers, sizeof(ProtobufCMessage *));
}

static void message_list_free(struct message_list *list)
{
	encoder_array_free(&list->messages);
	encoder_array_free(&list->pointers);
}

/* Makes room for n messages and points pointers[i] at messages[i]; the
 * caller fills the messages in. Returns the pointer array. */
static void *message_list_prepare(struct message_list *list, size_t n)
{
	ProtobufCMessage **pointers;
	size_t i;

	if (encoder_array_reserve(&list->messages, n) < 0 ||
	    encoder_array_reserve(&list->pointers, n) < 0)
		return NULL;
	pointers = encoder_array_at(&list->pointers, 0);
	for (i = 0; i < n; i++)
		pointers[i] = encoder_array_at(&list->messages, i);
	return pointers;
}

/* ---- packing parts ---- */

static int compress_packed(struct profile_writer *w)
{
	int rc = gzip_sink_append(w->sink, w->packed.items, w->packed.count);

	w->packed.count = 0;
	return rc;
}

static int emit_part(struct profile_writer *w, const Perftools__Profiles__Profile *part)
{
	size_t size = protobuf_c_message_get_packed_size(&part->base);

	if (size == 0)
		return 0;
	if (encoder_array_reserve(&w->packed, size) < 0)
		return -1;
	protobuf_c_message_pack(&part->base, encoder_array_extend(&w->packed, size));
	if (w->packed.count >= PACKED_BATCH)
		return compress_packed(w);
	return 0;
}

/* ---- header ---- */

static void fill_value_type(Perftools__Profiles__ValueType *message,
                            const struct value_type_record *record)
{
	perftools__profiles__value_type__init(message);
	message->type = record->type;
	message->unit = record->unit;
}

static int emit_header(struct profile_writer *w)
{
	const profile_builder *pb = w->pb;
	Perftools__Profiles__Profile part;
	Perftools__Profiles__ValueType period_type;
	Perftools__Profiles__ValueType **sample_types;
	size_t i, n = pb->sample_types.count;

	sample_types = message_list_prepare(&w->sample_types, n);
	if (sample_types == NULL && n > 0)
		return -1;
	for (i = 0; i < n; i++)
		fill_value_type(sample_types[i], encoder_array_at(&pb->sample_types, i));
	perftools__profiles__profile__init(&part);
	part.n_sample_type = n;
	part.sample_type = sample_types;
	if (pb->period_type.type != 0 || pb->period_type.unit != 0) {
		fill_value_type(&period_type, &pb->period_type);
		part.period_type = &period_type;
	}
	part.period = pb->period;
	part.default_sample_type = pb->default_sample_type;
	part.time_nanos = pb->time_nanos;
	part.duration_nanos = pb->duration_nanos;
	part.n_comment = pb->comments.count;
	part.comment = pb->comments.items;
	part.drop_frames = pb->drop_frames;
	part.keep_frames = pb->keep_frames;
	return emit_part(w, &part);
}

/* ---- tables ---- */

static int emit_mapping(struct profile_writer *w, uint64_t id, const struct mapping_record *r)
{
	Perftools__Profiles__Profile part;
	Perftools__Profiles__Mapping mapping, *one = &mapping;

	perftools__profiles__mapping__init(&mapping);
	mapping.id = id;
	mapping.memory_start = r->memory_start;
	mapping.memory_limit = r->memory_limit;
	mapping.file_offset = r->file_offset;
	mapping.filename = r->filename;
	mapping.build_id = r->build_id;
	mapping.has_functions = r->has_functions;
	mapping.has_filenames = r->has_filenames;
	mapping.has_line_numbers = r->has_line_numbers;
	mapping.has_inline_frames = r->has_inline_frames;
	perftools__profiles__profile__init(&part);
	part.n_mapping = 1;
	part.mapping = &one;
	return emit_part(w, &part);
}

static int emit_function(struct profile_writer *w, uint64_t id, const struct function_record *r)
{
	Perftools__Profiles__Profile part;
	Perftools__Profiles__Function function, *one = &function;

	perftools__profiles__function__init(&function);
	function.id = id;
	function.name = r->name;
	function.system_name = r->system_name;
	function.filename = r->filename;
	function.start_line = r->start_line;
	perftools__profiles__profile__init(&part);
	part.n_function = 1;
	part.function = &one;
	return emit_part(w, &part);
}

static int emit_location(struct profile_writer *w, uint64_t id, const struct location_record *r)
{
	const struct line_record *records = encoder_array_at(&w->pb->line_pool, r->first_line);
	Perftools__Profiles__Profile part;
	Perftools__Profiles__Location location, *one = &location;
	Perftools__Profiles__Line **lines = message_list_prepare(&w->lines, r->nlines);
	size_t i;

	if (lines == NULL && r->nlines > 0)
		return -1;
	for (i = 0; i < r->nlines; i++) {
		perftools__profiles__line__init(lines[i]);
		lines[i]->function_id = records[i].function_id;
		lines[i]->line = records[i].line;
	}
	perftools__profiles__location__init(&location);
	location.id = id;
	location.mapping_id = r->mapping_id;
	location.address = r->address;
	location.n_line = r->nlines;
	location.line = lines;
	perftools__profiles__profile__init(&part);
	part.n_location = 1;
	part.location = &one;
	return emit_part(w, &part);
}

/* The samples, already in wire format (profile_tables.h): what is packed
 * so far is compressed first, so the order of the parts is kept. */
static int emit_samples(struct profile_writer *w)
{
	const struct encoder_array *bytes = &w->pb->sample_bytes;

	if (bytes->count == 0)
		return 0;
	if (compress_packed(w) < 0)
		return -1;
	return gzip_sink_append(w->sink, bytes->items, bytes->count);
}

static int emit_strings(struct profile_writer *w, size_t first, size_t n)
{
	Perftools__Profiles__Profile part;

	perftools__profiles__profile__init(&part);
	part.n_string_table = n;
	part.string_table = encoder_array_at(&w->pb->strings, first);
	return emit_part(w, &part);
}

/* ---- the whole profile ---- */

static int emit_tables(struct profile_writer *w)
{
	const profile_builder *pb = w->pb;
	size_t i;

	for (i = 0; i < pb->mappings.count; i++)
		if (emit_mapping(w, i + 1, encoder_array_at(&pb->mappings, i)) < 0)
			return -1;
	for (i = 0; i < pb->functions.count; i++)
		if (emit_function(w, i + 1, encoder_array_at(&pb->functions, i)) < 0)
			return -1;
	for (i = 0; i < pb->locations.count; i++)
		if (emit_location(w, i + 1, encoder_array_at(&pb->locations, i)) < 0)
			return -1;
	if (emit_samples(w) < 0)
		return -1;
	for (i = 0; i < pb->strings.count; i += STRINGS_PER_PART) {
		size_t n = pb->strings.count - i;

		if (emit_strings(w, i, n < STRINGS_PER_PART ? n : STRINGS_PER_PART) < 0)
			return -1;
	}
	return 0;
}

static int write_profile(const profile_builder *pb, struct gzip_sink *sink)
{
	struct profile_writer w = { .pb = pb, .sink = sink };
	int rc, saved_errno;

	encoder_array_init(&w.packed, 1);
	message_list_init(&w.lines, sizeof(Perftools__Profiles__Line));
	message_list_init(&w.sample_types, sizeof(Perftools__Profiles__ValueType));
	rc = emit_header(&w);
	if (rc == 0)
		rc = emit_tables(&w);
	if (rc == 0)
		rc = compress_packed(&w);
	if (rc == 0)
		rc = gzip_sink_finish(sink);
	saved_errno = errno;
	encoder_array_free(&w.packed);
	message_list_free(&w.lines);
	message_list_free(&w.sample_types);
	errno = saved_errno;
	return rc;
}

static void close_sink(struct gzip_sink *sink)
{
	int saved_errno = errno;

	gzip_sink_close(sink);
	errno = saved_errno;
}

int profile_write(profile_builder *pb, profile_output output, void *output_ctx)
{
	struct gzip_sink sink;
	int rc;

	if (output == NULL) {
		errno = EINVAL;
		return -1;
	}
	rc = gzip_sink_open(&sink, output, output_ctx);
	if (rc == 0)
		rc = write_profile(pb, &sink);
	close_sink(&sink);
	return rc;
}

int profile_write_buffer(profile_builder *pb, unsigned char **out, size_t *out_len)
{
	struct gzip_sink sink;
	int rc = gzip_sink_open(&sink, NULL, NULL);

	if (rc == 0)
		rc = write_profile(pb, &sink);
	if (rc == 0)
		*out = gzip_sink_take_memory(&sink, out_len);
	close_sink(&sink);
	return rc;
}
