/*
 * profile_builder.c — the builder half of the encoder (profile_builder.h):
 * interns strings and deduplicates mappings, functions and locations into
 * the tables of profile_tables.h, and records samples. profile_writer.c turns
 * the tables into gzip-compressed profile.proto bytes.
 *
 * Failure safety: every operation checks its arguments, then reserves all the
 * memory it needs, and only then changes the tables (with steps that cannot
 * fail). A failed call therefore leaves the builder exactly as it was, apart
 * from strings it may already have interned, which are harmless.
 */
#include <errno.h>
#include <string.h>

#include "encoder_sys.h"
#include "profile_tables.h"
#include "sample_wire.h"

/* Mapping and function records are compared and hashed as bytes. */
_Static_assert(sizeof(struct mapping_record) == 5 * sizeof(uint64_t) + 4 * sizeof(int),
               "mapping_record has no padding");
_Static_assert(sizeof(struct function_record) == 4 * sizeof(int64_t),
               "function_record has no padding");

static int fail_with(int error)
{
	errno = error;
	return -1;
}

static uint64_t no_id(int error)
{
	errno = error;
	return 0;
}

/* ---- strings ---- */

static const char *string_at(const profile_builder *pb, int64_t index)
{
	return *(char **)encoder_array_at(&pb->strings, (size_t)index);
}

static int string_matches(const void *tables, uint32_t entry, const void *key)
{
	return strcmp(string_at(tables, entry), key) == 0;
}

static char *copy_string(const char *s, size_t len)
{
	char *copy = encoder_malloc(len + 1);

	if (copy == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	memcpy(copy, s, len + 1);
	return copy;
}

/* Appends s to the string table; the caller has checked it is new. Index 0
 * (the empty string) goes in without the index, which never holds it. */
static int64_t append_string(profile_builder *pb, const char *s, size_t len, uint64_t hash)
{
	char *copy;

	if (encoder_array_reserve(&pb->strings, 1) < 0)
		return -1;
	if (len > 0 && dedup_index_reserve(&pb->string_index) < 0)
		return -1;
	copy = copy_string(s, len);
	if (copy == NULL)
		return -1;
	*(char **)encoder_array_extend(&pb->strings, 1) = copy;
	if (len > 0)
		dedup_index_insert(&pb->string_index, hash, (uint32_t)(pb->strings.count - 1));
	return (int64_t)(pb->strings.count - 1);
}

int64_t profile_intern(profile_builder *pb, const char *s)
{
	size_t len;
	uint64_t hash;
	uint32_t found;

	if (s == NULL || *s == '\0')
		return 0;
	if (s == pb->last_text && strcmp(string_at(pb, pb->last_index), s) == 0)
		return pb->last_index;
	len = strlen(s);
	hash = dedup_hash_bytes(DEDUP_HASH_SEED, s, len);
	found = dedup_index_find(&pb->string_index, hash, string_matches, pb, s);
	int64_t index = found != 0 ? (int64_t)found : append_string(pb, s, len, hash);
	if (index > 0) {
		pb->last_text = s;
		pb->last_index = index;
	}
	return index;
}

/* Interns n strings into indices; -1 if any fails. */
static int intern_strings(profile_builder *pb, const char *const *texts, int64_t *const *indices,
                          size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		*indices[i] = profile_intern(pb, texts[i]);
		if (*indices[i] < 0)
			return -1;
	}
	return 0;
}

static int intern_pair(profile_builder *pb, const char *first, int64_t *first_index,
                       const char *second, int64_t *second_index)
{
	const char *texts[] = { first, second };
	int64_t *indices[] = { first_index, second_index };

	return intern_strings(pb, texts, indices, 2);
}

/* ---- life cycle ---- */

static void init_tables(profile_builder *pb)
{
	memset(pb, 0, sizeof *pb);
	encoder_array_init(&pb->strings, sizeof(char *));
	dedup_index_init(&pb->string_index);
	encoder_array_init(&pb->mappings, sizeof(struct mapping_record));
	dedup_index_init(&pb->mapping_index);
	encoder_array_init(&pb->functions, sizeof(struct function_record));
	dedup_index_init(&pb->function_index);
	encoder_array_init(&pb->locations, sizeof(struct location_record));
	dedup_index_init(&pb->location_index);
	encoder_array_init(&pb->line_pool, sizeof(struct line_record));
	encoder_array_init(&pb->sample_bytes, 1);
	encoder_array_init(&pb->label_scratch, sizeof(struct label_record));
	encoder_array_init(&pb->sample_types, sizeof(struct value_type_record));
	encoder_array_init(&pb->comments, sizeof(int64_t));
}

profile_builder *profile_builder_new(void)
{
	profile_builder *pb = encoder_malloc(sizeof *pb);

	if (pb == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	init_tables(pb);
	if (append_string(pb, "", 0, 0) < 0) {
		profile_builder_free(pb);
		errno = ENOMEM;
		return NULL;
	}
	return pb;
}

static void free_strings(profile_builder *pb)
{
	size_t i;

	for (i = 0; i < pb->strings.count; i++)
		encoder_free(*(char **)encoder_array_at(&pb->strings, i));
	encoder_array_free(&pb->strings);
}

void profile_builder_free(profile_builder *pb)
{
	if (pb == NULL)
		return;
	free_strings(pb);
	dedup_index_free(&pb->string_index);
	encoder_array_free(&pb->mappings);
	dedup_index_free(&pb->mapping_index);
	encoder_array_free(&pb->functions);
	dedup_index_free(&pb->function_index);
	encoder_array_free(&pb->locations);
	dedup_index_free(&pb->location_index);
	encoder_array_free(&pb->line_pool);
	encoder_array_free(&pb->sample_bytes);
	encoder_array_free(&pb->label_scratch);
	encoder_array_free(&pb->sample_types);
	encoder_array_free(&pb->comments);
	encoder_free(pb);
}

/* ---- header ---- */

/* Sample types may only be added before the first sample, so that every
 * sample has one value per type; later, EINVAL. */
int profile_add_sample_type(profile_builder *pb, const char *type, const char *unit)
{
	struct value_type_record record;

	if (pb->nsamples > 0)
		return fail_with(EINVAL);
	if (intern_pair(pb, type, &record.type, unit, &record.unit) < 0)
		return -1;
	if (encoder_array_reserve(&pb->sample_types, 1) < 0)
		return -1;
	*(struct value_type_record *)encoder_array_extend(&pb->sample_types, 1) = record;
	return 0;
}

int profile_set_period(profile_builder *pb, const char *type, const char *unit, int64_t period)
{
	struct value_type_record record;

	if (intern_pair(pb, type, &record.type, unit, &record.unit) < 0)
		return -1;
	pb->period_type = record;
	pb->period = period;
	return 0;
}

/* Sets *field to the string index of s, leaving it unchanged on failure. */
static int set_string_field(profile_builder *pb, int64_t *field, const char *s)
{
	int64_t index = profile_intern(pb, s);

	if (index < 0)
		return -1;
	*field = index;
	return 0;
}

int profile_set_default_sample_type(profile_builder *pb, const char *type)
{
	return set_string_field(pb, &pb->default_sample_type, type);
}

void profile_set_time(profile_builder *pb, int64_t time_nanos, int64_t duration_nanos)
{
	pb->time_nanos = time_nanos;
	pb->duration_nanos = duration_nanos;
}

int profile_add_comment(profile_builder *pb, const char *comment)
{
	int64_t index = profile_intern(pb, comment);

	if (index < 0 || encoder_array_reserve(&pb->comments, 1) < 0)
		return -1;
	*(int64_t *)encoder_array_extend(&pb->comments, 1) = index;
	return 0;
}

int profile_set_drop_frames(profile_builder *pb, const char *regex)
{
	return set_string_field(pb, &pb->drop_frames, regex);
}

int profile_set_keep_frames(profile_builder *pb, const char *regex)
{
	return set_string_field(pb, &pb->keep_frames, regex);
}

/* ---- mappings and functions: records deduplicated by their bytes ---- */

static uint64_t hash_record(const void *record, size_t size)
{
	return dedup_hash_bytes(DEDUP_HASH_SEED, record, size);
}

static int mapping_matches(const void *tables, uint32_t entry, const void *key)
{
	const profile_builder *pb = tables;

	return memcmp(encoder_array_at(&pb->mappings, entry - 1), key,
	              sizeof(struct mapping_record)) == 0;
}

static int function_matches(const void *tables, uint32_t entry, const void *key)
{
	const profile_builder *pb = tables;

	return memcmp(encoder_array_at(&pb->functions, entry - 1), key,
	              sizeof(struct function_record)) == 0;
}

/* The id of the record in records equal to *record, adding it if needed. */
static uint64_t find_or_add_record(profile_builder *pb, struct encoder_array *records,
                                   struct dedup_index *index, dedup_entry_matches matches,
                                   const void *record)
{
	uint64_t hash = hash_record(record, records->item_size);
	uint32_t found = dedup_index_find(index, hash, matches, pb, record);

	if (found != 0)
		return found;
	if (dedup_index_reserve(index) < 0 || encoder_array_reserve(records, 1) < 0)
		return 0;
	memcpy(encoder_array_extend(records, 1), record, records->item_size);
	dedup_index_insert(index, hash, (uint32_t)records->count);
	return records->count;
}

uint64_t profile_add_mapping(profile_builder *pb, const struct profile_mapping *m)
{
	struct mapping_record record;

	if (m == NULL)
		return no_id(EINVAL);
	memset(&record, 0, sizeof record);
	if (intern_pair(pb, m->filename, &record.filename, m->build_id, &record.build_id) < 0)
		return 0;
	record.memory_start = m->memory_start;
	record.memory_limit = m->memory_limit;
	record.file_offset = m->file_offset;
	record.has_functions = m->has_functions != 0;
	record.has_filenames = m->has_filenames != 0;
	record.has_line_numbers = m->has_line_numbers != 0;
	record.has_inline_frames = m->has_inline_frames != 0;
	return find_or_add_record(pb, &pb->mappings, &pb->mapping_index, mapping_matches, &record);
}

uint64_t profile_add_function(profile_builder *pb, const char *name,
                              const char *system_name, const char *filename,
                              int64_t start_line)
{
	struct function_record record;
	const char *texts[] = { name, system_name, filename };
	int64_t *indices[] = { &record.name, &record.system_name, &record.filename };

	if (intern_strings(pb, texts, indices, 3) < 0)
		return 0;
	record.start_line = start_line;
	return find_or_add_record(pb, &pb->functions, &pb->function_index, function_matches,
	                          &record);
}

/* ---- locations: deduplicated by mapping, address and lines ---- */

struct location_key {
	uint64_t mapping_id;
	uint64_t address;
	const struct profile_line *lines;
	size_t nlines;
};

static uint64_t hash_location(const struct location_key *key)
{
	uint64_t hash = dedup_hash_word(DEDUP_HASH_SEED, key->mapping_id);
	size_t i;

	hash = dedup_hash_word(hash, key->address);
	for (i = 0; i < key->nlines; i++) {
		hash = dedup_hash_word(hash, key->lines[i].function_id);
		hash = dedup_hash_word(hash, (uint64_t)key->lines[i].line);
	}
	return dedup_hash_word(hash, key->nlines);
}

static int location_matches(const void *tables, uint32_t entry, const void *key_)
{
	const profile_builder *pb = tables;
	const struct location_key *key = key_;
	const struct location_record *record = encoder_array_at(&pb->locations, entry - 1);
	const struct line_record *lines = encoder_array_at(&pb->line_pool, record->first_line);
	size_t i;

	if (record->mapping_id != key->mapping_id || record->address != key->address ||
	    record->nlines != key->nlines)
		return 0;
	for (i = 0; i < key->nlines; i++)
		if (lines[i].function_id != key->lines[i].function_id ||
		    lines[i].line != key->lines[i].line)
			return 0;
	return 1;
}

static int location_key_is_valid(const profile_builder *pb, const struct location_key *key)
{
	size_t i;

	if (key->mapping_id > pb->mappings.count || (key->nlines > 0 && key->lines == NULL))
		return 0;
	for (i = 0; i < key->nlines; i++)
		if (key->lines[i].function_id == 0 ||
		    key->lines[i].function_id > pb->functions.count)
			return 0;
	return 1;
}

static uint64_t append_location(profile_builder *pb, const struct location_key *key,
                                uint64_t hash)
{
	struct location_record *record;
	struct line_record *lines;
	size_t i;

	if (dedup_index_reserve(&pb->location_index) < 0 ||
	    encoder_array_reserve(&pb->locations, 1) < 0 ||
	    encoder_array_reserve(&pb->line_pool, key->nlines) < 0)
		return 0;
	record = encoder_array_extend(&pb->locations, 1);
	record->mapping_id = key->mapping_id;
	record->address = key->address;
	record->first_line = pb->line_pool.count;
	record->nlines = key->nlines;
	lines = encoder_array_extend(&pb->line_pool, key->nlines);
	for (i = 0; i < key->nlines; i++) {
		lines[i].function_id = key->lines[i].function_id;
		lines[i].line = key->lines[i].line;
	}
	dedup_index_insert(&pb->location_index, hash, (uint32_t)pb->locations.count);
	return pb->locations.count;
}

uint64_t profile_add_location(profile_builder *pb, uint64_t mapping_id, uint64_t address,
                              const struct profile_line *lines, size_t nlines)
{
	struct location_key key = { mapping_id, address, lines, nlines };
	uint64_t hash;
	uint32_t found;

	if (!location_key_is_valid(pb, &key))
		return no_id(EINVAL);
	hash = hash_location(&key);
	found = dedup_index_find(&pb->location_index, hash, location_matches, pb, &key);
	if (found != 0)
		return found;
	return append_location(pb, &key, hash);
}

/* ---- samples ---- */

static int sample_is_valid(const profile_builder *pb, const uint64_t *location_ids,
                           size_t nlocations, const int64_t *values, size_t nvalues,
                           const struct profile_label *labels, size_t nlabels)
{
	size_t i;

	if (nvalues == 0 || nvalues != pb->sample_types.count || values == NULL)
		return 0;
	if ((nlocations > 0 && location_ids == NULL) || (nlabels > 0 && labels == NULL))
		return 0;
	for (i = 0; i < nlocations; i++)
		if (location_ids[i] == 0 || location_ids[i] > pb->locations.count)
			return 0;
	for (i = 0; i < nlabels; i++)
		if (labels[i].key == NULL)
			return 0;
	return 1;
}

/* Interns the labels into label_scratch (emptied first), reserved here. */
static int intern_labels(profile_builder *pb, const struct profile_label *labels, size_t nlabels)
{
	struct label_record *out;
	size_t i;

	pb->label_scratch.count = 0;
	if (encoder_array_reserve(&pb->label_scratch, nlabels) < 0)
		return -1;
	out = encoder_array_at(&pb->label_scratch, 0);
	for (i = 0; i < nlabels; i++) {
		const char *texts[] = { labels[i].key, labels[i].str, labels[i].num_unit };
		int64_t *indices[] = { &out[i].key, &out[i].str, &out[i].num_unit };

		if (intern_strings(pb, texts, indices, 3) < 0)
			return -1;
		out[i].num = labels[i].num;
	}
	return 0;
}

/* Bytes a sample's part takes at most, beyond its varints' payload: the
 * tags and lengths (a generous guess only sizes the reservation). */
#define SAMPLE_PART_OVERHEAD 16
#define VARINT_MAX 10

int profile_reserve_samples(profile_builder *pb, size_t samples, size_t locations, size_t labels)
{
	/* Location ids below 2^21 take at most 3 bytes; a reservation too
	 * small only means the array grows once more. */
	size_t per_sample = SAMPLE_PART_OVERHEAD + pb->sample_types.count * VARINT_MAX;
	size_t bytes = samples * per_sample + locations * 3 + labels * (4 + 4 * VARINT_MAX);

	return encoder_array_reserve(&pb->sample_bytes, bytes);
}

int profile_add_sample(profile_builder *pb, const uint64_t *location_ids, size_t nlocations,
                       const int64_t *values, size_t nvalues,
                       const struct profile_label *labels, size_t nlabels)
{
	if (!sample_is_valid(pb, location_ids, nlocations, values, nvalues, labels, nlabels))
		return fail_with(EINVAL);
	if (intern_labels(pb, labels, nlabels) < 0)
		return -1;
	struct sample_wire s = {
		.location_ids = location_ids,
		.nlocations = nlocations,
		.values = values,
		.nvalues = nvalues,
		.labels = encoder_array_at(&pb->label_scratch, 0),
		.nlabels = nlabels,
	};
	if (encoder_array_reserve(&pb->sample_bytes, sample_wire_bound(&s)) < 0)
		return -1;
	unsigned char *start = encoder_array_at(&pb->sample_bytes, pb->sample_bytes.count);
	encoder_array_extend(&pb->sample_bytes, (size_t)(sample_wire_put(&s, start) - start));
	pb->nsamples++;
	return 0;
}

size_t profile_sample_count(const profile_builder *pb)
{
	return pb->nsamples;
}
