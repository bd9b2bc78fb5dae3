#!/bin/sh
# bench/bench-locks.sh — runs bench/bench_locks (uncontended pairs,
# contended handoff, condvar queue) without the agent, with block and mutex
# profiling off, at the README's settings (block_rate=1us, mutex_fraction=10)
# and at rate 1 (block_rate=1, mutex_fraction=1); prints ns per operation and
# the ratio to the run without the agent. A benchmark, not a test.
# Usage: bench/bench-locks.sh [ITERS]
set -eu
cd "$(dirname "$0")/.."
[ -x build/bench/bench_locks ] || { sh scripts/setup.sh && make -s -C build bench/bench_locks; }
ITERS=${1:-2000000}
LIB=$(pwd)/build/.libs/libpprof-agent.so
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
bench() { env "$@" build/bench/bench_locks "$mode" "$ITERS"; }
ratio() { echo "$1 / $2" | bc -l; }
printf '%-12s %9s %15s %15s %15s\n' workload "none ns" "off ns (x)" "readme ns (x)" "rate=1 ns (x)"
for mode in uncontended handoff queue; do
	base=$(bench X=1)
	off=$(bench LD_PRELOAD="$LIB" PPROF_AGENT="dir=$OUT,interval=0,mem_rate=0,threadcreate=0")
	readme=$(bench LD_PRELOAD="$LIB" PPROF_AGENT="dir=$OUT,interval=0,mem_rate=0,block_rate=1us,mutex_fraction=10")
	all=$(bench LD_PRELOAD="$LIB" PPROF_AGENT="dir=$OUT,interval=0,mem_rate=0,block_rate=1,mutex_fraction=1")
	printf '%-12s %9s %8s (%.2f) %8s (%.2f) %8s (%.2f)\n' "$mode" "$base" \
		"$off" "$(ratio "$off" "$base")" "$readme" "$(ratio "$readme" "$base")" \
		"$all" "$(ratio "$all" "$base")"
done
