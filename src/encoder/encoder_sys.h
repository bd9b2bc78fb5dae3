/*
 * encoder_sys.h — the encoder's seam to the outside world, in the manner of
 * jemalloc's prof_sys.c: every allocation the encoder (and zlib, for it)
 * makes goes through these pointers, so a test can fail any one of them and
 * check that the builder reports ENOMEM and stays usable. The encoder makes
 * no system call: its bytes leave through the caller's profile_output.
 *
 * As with jemalloc's JET_MUTABLE, the pointers are const in the library and
 * writable only where PPROF_AGENT_TESTING is defined (the encoder's unit
 * tests build it so).
 */
#ifndef PPROF_ENCODER_SYS_H
#define PPROF_ENCODER_SYS_H

#include <stddef.h>

#ifdef PPROF_AGENT_TESTING
#define ENCODER_SEAM
#else
#define ENCODER_SEAM const
#endif

extern void *(*ENCODER_SEAM encoder_malloc)(size_t size);
extern void *(*ENCODER_SEAM encoder_realloc)(void *ptr, size_t size);
extern void (*ENCODER_SEAM encoder_free)(void *ptr);

#endif
