/*
 * profile_decode.c — see profile_decode.h.
 */
#include "profile_decode.h"

#include "profile_builder.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

unsigned char *gunzip(const unsigned char *gz, size_t gz_len, size_t *len)
{
	z_stream zs;
	size_t capacity = 4096;
	unsigned char *out = malloc(capacity);
	int rc;

	ck_assert_uint_ge(gz_len, 2);
	ck_assert_msg(gz[0] == 0x1f && gz[1] == 0x8b, "not gzip");
	memset(&zs, 0, sizeof zs);
	ck_assert_int_eq(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (unsigned char *)gz;
	zs.avail_in = (uInt)gz_len;
	do {
		if (zs.total_out == capacity) {
			capacity *= 2;
			out = realloc(out, capacity);
		}
		zs.next_out = out + zs.total_out;
		zs.avail_out = (uInt)(capacity - zs.total_out);
		rc = inflate(&zs, Z_NO_FLUSH);
		ck_assert_msg(rc == Z_OK || rc == Z_STREAM_END, "inflate: %d", rc);
	} while (rc != Z_STREAM_END);
	ck_assert_uint_eq(zs.avail_in, 0);
	*len = zs.total_out;
	inflateEnd(&zs);
	return out;
}

Profile *decode_profile(const unsigned char *gz, size_t gz_len)
{
	size_t len;
	unsigned char *raw = gunzip(gz, gz_len, &len);
	Profile *p = perftools__profiles__profile__unpack(NULL, len, raw);
	ck_assert_ptr_nonnull(p);
	free(raw);
	return p;
}

void profile_decoded_free(Profile *p)
{
	perftools__profiles__profile__free_unpacked(p, NULL);
}

const char *string_at(const Profile *p, int64_t index)
{
	ck_assert_int_ge(index, 0);
	ck_assert_uint_lt((size_t)index, p->n_string_table);
	return p->string_table[index];
}

Profile *decode_built(profile_builder *pb)
{
	unsigned char *gz;
	size_t len;
	ck_assert_int_eq(profile_write_buffer(pb, &gz, &len), 0);
	profile_builder_free(pb);
	Profile *p = decode_profile(gz, len);
	free(gz);
	return p;
}
