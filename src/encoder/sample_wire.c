/*
 * sample_wire.c — a sample's Profile part in protobuf wire format (see
 * sample_wire.h).
 */
#include "sample_wire.h"

#include <string.h>

enum {
	WIRE_VARINT = 0,
	WIRE_LEN = 2,
	PROFILE_SAMPLE = 2,
	SAMPLE_LOCATION_ID = 1,
	SAMPLE_VALUE = 2,
	SAMPLE_LABEL = 3,
	MAX_VARINT = 10,
};

static size_t varint_size(uint64_t v)
{
	return v < 0x80 ? 1 : (size_t)(64 - __builtin_clzll(v) + 6) / 7;
}

static unsigned char *put_varint(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static unsigned char tag(unsigned field, unsigned wire)
{
	return (unsigned char)(field << 3 | wire);
}

static unsigned char *put_label_body(unsigned char *p, const struct label_record *l)
{
	const int64_t f[4] = { l->key, l->str, l->num, l->num_unit };
	for (unsigned i = 0; i < 4; i++) {
		if (f[i] != 0) {
			*p++ = tag(i + 1, WIRE_VARINT);
			p = put_varint(p, (uint64_t)f[i]);
		}
	}
	return p;
}

/* Ends a length-delimited field whose contents were written after one byte
 * left for their length at len_at, up to end: the length goes into that
 * byte, or, for 128 bytes or more, the contents move up to make room for
 * its varint. Returns the field's end. */
static unsigned char *close_field(unsigned char *len_at, unsigned char *end)
{
	size_t len = (size_t)(end - (len_at + 1));
	if (len < 0x80) {
		*len_at = (unsigned char)len;
		return end;
	}
	size_t k = varint_size(len);
	memmove(len_at + k, len_at + 1, len);
	put_varint(len_at, len);
	return end + k - 1;
}

static unsigned char *put_packed(unsigned char *p, unsigned field, const uint64_t *v, size_t n)
{
	if (n == 0)
		return p;
	*p++ = tag(field, WIRE_LEN);
	unsigned char *len_at = p++;
	for (size_t i = 0; i < n; i++)
		p = put_varint(p, v[i]);
	return close_field(len_at, p);
}

size_t sample_wire_bound(const struct sample_wire *s)
{
	return 2 * (1 + MAX_VARINT) + (1 + MAX_VARINT) * (s->nlocations + s->nvalues) +
	       s->nlabels * (1 + MAX_VARINT + 4 * (1 + MAX_VARINT)) + (1 + MAX_VARINT);
}

unsigned char *sample_wire_put(const struct sample_wire *s, unsigned char *p)
{
	*p++ = tag(PROFILE_SAMPLE, WIRE_LEN);
	unsigned char *body_len_at = p++;
	p = put_packed(p, SAMPLE_LOCATION_ID, s->location_ids, s->nlocations);
	p = put_packed(p, SAMPLE_VALUE, (const uint64_t *)(const void *)s->values, s->nvalues);
	for (size_t i = 0; i < s->nlabels; i++) {
		*p++ = tag(SAMPLE_LABEL, WIRE_LEN);
		unsigned char *len_at = p++;
		p = close_field(len_at, put_label_body(p, &s->labels[i]));
	}
	return close_field(body_len_at, p);
}
