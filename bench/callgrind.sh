# bench/callgrind.sh — side-by-side.sh --callgrind, sourced by it: counts
# instructions (callgrind's Ir) per small malloc+free pair and per
# uncontended lock+unlock pair. Each program runs at N1 and N2 iterations;
# (Ir(N2) − Ir(N1)) / (5 (N2 − N1)) cancels start-up and exit (the agent's
# symbolization and snapshot included) and leaves the steady per-pair cost;
# the 5 is the rounds the microbenchmarks run. Deterministic, unlike times,
# but blind to cache misses and contention.
# Needs run_config, BUILD, OUT and an empty TIMER.

CG_N1=20000
CG_N2=120000

# Ir of one run of CMD... under configuration NAME.
instructions() {
	name=$1
	shift
	run_config "$name" valgrind --tool=callgrind \
		--callgrind-out-file="$OUT/callgrind.out" "$@" >/dev/null 2>&1
	sed -n 's/^summary: //p' "$OUT/callgrind.out"
	rm -f "$OUT/callgrind.out"
	rm -rf "$OUT/ours"
}

# Prints one table row: the Ir per pair of CMD... (ITERS as the last
# argument, appended here) under every configuration of CONFIGS.
per_pair_row() {
	title=$1 configs=$2
	shift 2
	row="| $title |"
	for cfg in $configs; do
		lo=$(instructions "$cfg" "$@" "$CG_N1")
		hi=$(instructions "$cfg" "$@" "$CG_N2")
		row="$row $(echo "scale=1; ($hi - $lo) / (5 * ($CG_N2 - $CG_N1))" | bc) |"
	done
	echo "$row"
}

callgrind_section() {
	echo
	echo "Instructions per pair (callgrind Ir, (Ir at $CG_N2 − Ir at $CG_N1) / pairs)"
	echo
	echo "| pair | none | ours | ours-r1 | je | je-prof |"
	echo "|---|---|---|---|---|---|"
	per_pair_row "small malloc+free, 1 thread" "none ours ours-r1 je je-prof" \
		"$BUILD/bench_malloc" small 1
	echo
	echo "| pair | none | ours | ours-lk | ours-lk1 |"
	echo "|---|---|---|---|---|"
	per_pair_row "uncontended lock+unlock" "none ours ours-lk ours-lk1" \
		"$BUILD/bench_locks" uncontended
}
