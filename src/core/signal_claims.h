/*
 * signal_claims.h — the signals whose default action the agent has taken
 * over, each with the agent's handler that holds it (src/runtime/ending.c:
 * SIGTERM and SIGINT, to write the final profile before the process ends
 * as the default action would end it; abrupt_endings.c: the fatal signals,
 * to say that no final profile was written). While a signal is claimed,
 * the sigaction and signal hooks show the program the default action in
 * the agent's handler's place, and give the signal up the moment the
 * program installs a handler of its own, or is found to have installed one
 * behind them (sysv_signal, sigset, the raw system call): a program that
 * asks "is SIGINT still at its default?" (Python does, to decide whether to
 * raise KeyboardInterrupt) gets the answer it would get without the agent.
 * Lock-free; safe in signal handlers.
 */
#ifndef PPROF_AGENT_SIGNAL_CLAIMS_H
#define PPROF_AGENT_SIGNAL_CLAIMS_H

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>

#define SIGNAL_CLAIMS_MAX 65   /* signal numbers 1..64 */

typedef void (*signal_claim_handler)(int, siginfo_t *, void *);

extern atomic_uintptr_t signal_claims[SIGNAL_CLAIMS_MAX];

/* The agent's handler holding sig (installed with SA_SIGINFO), or NULL. */
static inline signal_claim_handler signal_claimed(int sig)
{
	if (sig <= 0 || sig >= SIGNAL_CLAIMS_MAX)
		return NULL;
	return (signal_claim_handler)atomic_load_explicit(&signal_claims[sig], memory_order_acquire);
}

/* Claims sig for handler, or gives it up (handler NULL). */
static inline void signal_claim(int sig, signal_claim_handler handler)
{
	if (sig > 0 && sig < SIGNAL_CLAIMS_MAX)
		atomic_store_explicit(&signal_claims[sig], (uintptr_t)handler, memory_order_release);
}

#endif
