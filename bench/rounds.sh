# bench/rounds.sh — interleaved rounds for side-by-side.sh, sourced by it.
# rounds WORKLOAD "CONFIGS" CMD... runs CMD under every configuration once
# per round, ROUNDS rounds, the order rotated by one each round so that no
# configuration always runs first or right after the same neighbour (the
# machine's noise drifts; within a round every configuration sees about the
# same machine). Each run appends one line of tab-separated fields to
# $OUT/results:
#   WORKLOAD CONFIG ROUND MICROSECONDS CPU_MICROSECONDS MAXRSS_KB METRIC
# with the wall time of the whole process, its user+system time (with its
# children's: heaptrack's interpreter counts), its peak resident memory
# (for heaptrack, its largest process) and METRIC, the last line of the
# program's output that is a plain number (the ns per operation the
# microbenchmarks print), or "-".
# Needs TIMER to write to $OUT/time a last line "USER+SYSTEM,MAXRSS"
# (seconds, KiB).

measure() {
	wl=$1 cfg=$2 round=$3
	shift 3
	start=$(date +%s%N)
	run_config "$cfg" "$@" >"$OUT/stdout" 2>"$OUT/stderr" ||
		echo "side-by-side: $wl failed under $cfg: $(tail -n 1 "$OUT/stderr")" >&2
	end=$(date +%s%N)
	metric=$(grep -E '^[0-9]+(\.[0-9]+)?$' "$OUT/stdout" | tail -n 1)
	times=$(tail -n 1 "$OUT/time")
	cpu=$(echo "(${times%,*}) * 1000000 / 1" | bc)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$wl" "$cfg" "$round" \
		$(((end - start) / 1000)) "$cpu" "${times#*,}" "${metric:--}" >>"$OUT/results"
	rm -rf "$OUT/ours" "$OUT"/heaptrack*
}

rounds() {
	wl=$1 configs=$2
	shift 2
	printf 'side-by-side: %s' "$wl" >&2
	r=1
	while [ "$r" -le "$ROUNDS" ]; do
		for cfg in $(echo "$configs" | awk -v r="$r" \
			'{ for (i = 0; i < NF; i++) printf "%s ", $((i + r - 1) % NF + 1) }'); do
			measure "$wl" "$cfg" "$r" "$@"
		done
		printf ' %d' "$r" >&2
		r=$((r + 1))
	done
	echo >&2
}
