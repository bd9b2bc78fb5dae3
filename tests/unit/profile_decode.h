/*
 * profile_decode.h — reading a written profile back in unit tests: gunzip
 * (one member that must fill the input), unpack with protobuf-c, and look
 * strings up, asserting (Check) at every step.
 */
#ifndef PPROF_AGENT_PROFILE_DECODE_H
#define PPROF_AGENT_PROFILE_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "profile.pb-c.h"

typedef Perftools__Profiles__Profile Profile;

/* Inflates gz; returns malloc'd bytes and their count in *len. */
unsigned char *gunzip(const unsigned char *gz, size_t gz_len, size_t *len);

/* The profile in the gzip bytes gz (free with profile_decoded_free). */
Profile *decode_profile(const unsigned char *gz, size_t gz_len);

/* Writes pb (not NULL), frees it and decodes what it wrote. */
struct profile_builder;
Profile *decode_built(struct profile_builder *pb);
void profile_decoded_free(Profile *p);

/* String index of the profile, checked to be in range. */
const char *string_at(const Profile *p, int64_t index);

#endif
