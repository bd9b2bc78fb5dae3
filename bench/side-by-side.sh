#!/bin/sh
# bench/side-by-side.sh — the project's side-by-side suite: runs the same
# workloads with no profiler, with our agent (default rate and mem_rate=1;
# block and mutex profiling off and on for the lock workloads), jemalloc's
# and tcmalloc's samplers (each also without sampling, as its baseline) and
# heaptrack, in interleaved rounds (rounds.sh), and prints markdown tables
# of medians and min–max of per-round ratios (report.awk). Then the sampled
# path, the snapshot at 10..100k distinct stacks and the cold snapshot of
# 1000 PCs in one 2,000-function unit (bench_unit). A benchmark, not a
# test: it asserts nothing. BENCHMARKS.md explains the configurations.
# Usage: sh bench/side-by-side.sh [--quick | --full] [--callgrind]
#   --quick      3 rounds, smaller workloads
#   --full       also 1M distinct stacks
#   --callgrind  only the instruction counts per pair (callgrind.sh)
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=5 ITERS=200000 SQL_ROWS=30000 PY_ROUNDS=6 STACKS="10 1000 10000 100000"
MODE=time
for arg in "$@"; do
	case $arg in
	--quick) ROUNDS=3 ITERS=100000 SQL_ROWS=10000 PY_ROUNDS=3 ;;
	--full) STACKS="$STACKS 1000000" ;;
	--callgrind) MODE=callgrind ;;
	*) echo "usage: sh bench/side-by-side.sh [--quick | --full] [--callgrind]" >&2; exit 2 ;;
	esac
done

[ -x build/bench/bench_stacks ] || { sh scripts/setup.sh && make -s -C build; }
for tool in heaptrack valgrind sqlite3 bc /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "side-by-side: $tool missing (sh scripts/setup.sh)" >&2; exit 1; }
done
PYTHON=$(command -v /usr/bin/python3.11 /usr/bin/python3 | head -n 1)
LIB=$ROOT/build/.libs/libpprof-agent.so
BUILD=$ROOT/build/bench
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
. bench/configs.sh
. bench/rounds.sh
. bench/callgrind.sh

echo "# side-by-side, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$MODE" = callgrind ]; then
	TIMER=
	callgrind_section
	exit 0
fi
TIMER="/usr/bin/time -q -f %U+%S,%M -o $OUT/time"

for sizes in small mixed; do
	for threads in 1 2; do
		rounds "malloc $sizes, $threads thread(s), $ITERS pairs ×5 (ns/pair)" "$ALLOC_CONFIGS" \
			"$BUILD/bench_malloc" "$sizes" "$threads" "$ITERS"
	done
done
for mode in uncontended uncontended2 handoff; do
	rounds "locks $mode, $ITERS pairs ×5 (ns/pair)" "$LOCK_CONFIGS" \
		"$BUILD/bench_locks" "$mode" "$ITERS"
done
sh bench/workload-sql.sh "$SQL_ROWS" >"$OUT/workload.sql"
rounds "sqlite3 :memory:, $SQL_ROWS rows" "$ALLOC_CONFIGS" sqlite3 -init "$OUT/workload.sql" :memory: .quit
rounds "python3 allocations, $PY_ROUNDS rounds" "$ALLOC_CONFIGS" "$PYTHON" bench/workload_alloc.py "$PY_ROUNDS"
for n in $STACKS; do
	rounds "bench_stacks $n distinct stacks (snapshot ms)" "none ours-r1" "$BUILD/bench_stacks" "$n"
done
rounds "bench_unit: 1000 PCs in one 2,000-function unit (cold snapshot ms)" "none ours-r1" "$BUILD/bench_unit"

BASES=$(for cfg in $ALLOC_CONFIGS; do
	base=$(config_base "$cfg")
	[ "$base" = none ] || printf '%s=%s ' "$cfg" "$base"
done)
awk -v bases="$BASES" -f bench/report.awk "$OUT/results"

# The sampled path: what mem_rate=1 adds to a small pair, round by round.
echo
awk -F '\t' '/^malloc small, 1 thread/ {
	f = $7; cfg = $2; r = $3
	if (cfg == "none") none[r] = f
	if (cfg == "ours-r1") all[r] = f
} END {
	for (r in all) printf "%.1f\n", all[r] - none[r]
}' "$OUT/results" | sort -n | awk '{ v[NR] = $1 } END {
	printf "Sampled path (ours-r1 − none, small pairs, 1 thread): %.1f ns per pair (median; %.1f–%.1f)\n",
		NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[1], v[NR]
}'
