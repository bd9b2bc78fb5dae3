#!/bin/sh
# e2e_cpu_signal.sh — e2e_cpu.sh's checks with cpu_timer=signal (a SIGPROF
# CPU-time timer per thread instead of perf events): the same shares and
# totals, files and C API, and not one EINTR or early return in threads
# waiting in nanosleep, poll, read, pthread_cond_wait and
# pthread_cond_timedwait while two threads burn CPU at 1000 Hz.
CPU_TIMER=signal
. "${top_srcdir:-.}/tests/e2e/e2e_cpu.sh"
