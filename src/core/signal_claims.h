/*
 * signal_claims.h — the signals whose default action the agent has taken
 * over (src/runtime/ending.c: SIGTERM and SIGINT, to write the final
 * profile before the process ends as the default action would end it).
 * While a signal is claimed, the sigaction and signal hooks show the
 * program the default action in the agent's handler's place, and give the
 * signal up the moment the program installs a handler of its own: a
 * program that asks "is SIGINT still at its default?" (Python does, to
 * decide whether to raise KeyboardInterrupt) gets the answer it would get
 * without the agent. Lock-free; safe in signal handlers.
 */
#ifndef PPROF_AGENT_SIGNAL_CLAIMS_H
#define PPROF_AGENT_SIGNAL_CLAIMS_H

#include <stdatomic.h>

#define SIGNAL_CLAIMS_MAX 65   /* signal numbers 1..64 */

extern atomic_uchar signal_claims[SIGNAL_CLAIMS_MAX];

static inline int signal_claimed(int sig)
{
	return sig > 0 && sig < SIGNAL_CLAIMS_MAX &&
	       atomic_load_explicit(&signal_claims[sig], memory_order_acquire);
}

static inline void signal_claim(int sig, int claimed)
{
	if (sig > 0 && sig < SIGNAL_CLAIMS_MAX)
		atomic_store_explicit(&signal_claims[sig], (unsigned char)(claimed != 0),
		                      memory_order_release);
}

#endif
