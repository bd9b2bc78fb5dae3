/*
 * sample_wire.c — a sample's Profile part in protobuf wire format (see
 * sample_wire.h).
 */
#include "sample_wire.h"

enum {
	WIRE_VARINT = 0,
	WIRE_LEN = 2,
	PROFILE_SAMPLE = 2,
	SAMPLE_LOCATION_ID = 1,
	SAMPLE_VALUE = 2,
	SAMPLE_LABEL = 3,
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

/* A Label's body: key, str, num, num_unit (fields 1..4), zeros left out. */
static size_t label_body_size(const struct label_record *l)
{
	const int64_t f[4] = { l->key, l->str, l->num, l->num_unit };
	size_t n = 0;
	for (int i = 0; i < 4; i++)
		if (f[i] != 0)
			n += 1 + varint_size((uint64_t)f[i]);
	return n;
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

static size_t packed_size(const uint64_t *v, size_t n)
{
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++)
		bytes += varint_size(v[i]);
	return bytes;
}

struct sample_wire_size sample_wire_measure(const struct sample_wire *s)
{
	struct sample_wire_size z = { 0 };
	z.locations = packed_size(s->location_ids, s->nlocations);
	z.values = packed_size((const uint64_t *)(const void *)s->values, s->nvalues);
	if (s->nlocations)
		z.body += 1 + varint_size(z.locations) + z.locations;
	if (s->nvalues)
		z.body += 1 + varint_size(z.values) + z.values;
	for (size_t i = 0; i < s->nlabels; i++) {
		size_t l = label_body_size(&s->labels[i]);
		z.body += 1 + varint_size(l) + l;
	}
	z.part = 1 + varint_size(z.body) + z.body;
	return z;
}

static unsigned char *put_packed(unsigned char *p, unsigned field, const uint64_t *v, size_t n,
                                 size_t bytes)
{
	if (n == 0)
		return p;
	*p++ = tag(field, WIRE_LEN);
	p = put_varint(p, bytes);
	for (size_t i = 0; i < n; i++)
		p = put_varint(p, v[i]);
	return p;
}

unsigned char *sample_wire_put(const struct sample_wire *s, const struct sample_wire_size *z,
                               unsigned char *p)
{
	*p++ = tag(PROFILE_SAMPLE, WIRE_LEN);
	p = put_varint(p, z->body);
	p = put_packed(p, SAMPLE_LOCATION_ID, s->location_ids, s->nlocations, z->locations);
	p = put_packed(p, SAMPLE_VALUE, (const uint64_t *)(const void *)s->values, s->nvalues,
	               z->values);
	for (size_t i = 0; i < s->nlabels; i++) {
		*p++ = tag(SAMPLE_LABEL, WIRE_LEN);
		p = put_varint(p, label_body_size(&s->labels[i]));
		p = put_label_body(p, &s->labels[i]);
	}
	return p;
}
