/*
 * signal_claims.c — the claimed signals (see signal_claims.h).
 */
#include "signal_claims.h"

atomic_uintptr_t signal_claims[SIGNAL_CLAIMS_MAX];
atomic_uintptr_t signal_claim_releases[SIGNAL_CLAIMS_MAX];
