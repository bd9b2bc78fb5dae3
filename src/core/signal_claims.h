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
 * A claimant that must act the moment it loses its signal (cpu_timers.c:
 * its timers keep sending it) leaves a release function, which the hooks
 * run as they give the signal up. Lock-free; safe in signal handlers.
 */
#ifndef PPROF_AGENT_SIGNAL_CLAIMS_H
#define PPROF_AGENT_SIGNAL_CLAIMS_H

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>

#define SIGNAL_CLAIMS_MAX 65   /* signal numbers 1..64 */

typedef void (*signal_claim_handler)(int, siginfo_t *, void *);

typedef void (*signal_claim_release)(int);

extern atomic_uintptr_t signal_claims[SIGNAL_CLAIMS_MAX];
extern atomic_uintptr_t signal_claim_releases[SIGNAL_CLAIMS_MAX];

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

/* Sets what runs when the program takes sig from the agent (NULL: nothing). */
static inline void signal_claim_on_release(int sig, signal_claim_release release)
{
	if (sig > 0 && sig < SIGNAL_CLAIMS_MAX)
		atomic_store_explicit(&signal_claim_releases[sig], (uintptr_t)release,
		                      memory_order_release);
}

/* The program takes sig (its own handler, found or about to be installed):
 * the claimant's release function runs (on the program's thread, inside
 * its call: it must be async-signal-safe), then the claim ends. */
static inline void signal_claim_give_up(int sig)
{
	if (sig <= 0 || sig >= SIGNAL_CLAIMS_MAX)
		return;
	signal_claim_release release = (signal_claim_release)atomic_load_explicit(
		&signal_claim_releases[sig], memory_order_acquire);
	if (release)
		release(sig);
	signal_claim(sig, NULL);
}

#endif
