/*
 * encoder_sys.c — the production values of the encoder's seams (see
 * encoder_sys.h): plain libc allocation. The agent calls the encoder with its
 * reentrancy guard raised, so these allocations are the agent's own and are
 * never sampled.
 */
#include <stdlib.h>

#include "encoder_sys.h"

void *(*ENCODER_SEAM encoder_malloc)(size_t size) = malloc;
void *(*ENCODER_SEAM encoder_realloc)(void *ptr, size_t size) = realloc;
void (*ENCODER_SEAM encoder_free)(void *ptr) = free;
