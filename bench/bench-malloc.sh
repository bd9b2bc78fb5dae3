#!/bin/sh
# bench/bench-malloc.sh — runs bench/bench_malloc without the agent, with
# it at the default mem_rate (512 KiB) and at mem_rate=1, for small and
# mixed sizes on 1 and 2 threads, and prints ns per malloc+free pair and
# the ratio to the run without the agent. A benchmark, not a test: it
# asserts nothing. Usage: bench/bench-malloc.sh [ITERS]
set -eu
cd "$(dirname "$0")/.."
[ -x build/bench/bench_malloc ] || { sh scripts/setup.sh && make -s -C build bench/bench_malloc; }
ITERS=${1:-2000000}
LIB=$(pwd)/build/.libs/libpprof-agent.so
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
bench() { env "$@" build/bench/bench_malloc "$sizes" "$threads" "$ITERS"; }
printf '%-6s %-7s %10s %16s %16s\n' sizes threads "none ns" "default ns (x)" "rate=1 ns (x)"
for sizes in small mixed; do
	for threads in 1 2; do
		base=$(bench X=1)
		def=$(bench LD_PRELOAD="$LIB" PPROF_AGENT="dir=$OUT,interval=0")
		all=$(bench LD_PRELOAD="$LIB" PPROF_AGENT="dir=$OUT,interval=0,mem_rate=1")
		printf '%-6s %-7s %10s %9s (%.2f) %9s (%.2f)\n' "$sizes" "$threads" "$base" \
			"$def" "$(echo "$def / $base" | bc -l)" "$all" "$(echo "$all / $base" | bc -l)"
	done
done
