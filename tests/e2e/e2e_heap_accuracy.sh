#!/bin/sh
# e2e_heap_accuracy.sh — at the default mem_rate (512 KiB), the estimated
# alloc_space and inuse_space of each site of prog_heap_mixed (1.5 GiB
# allocated per site, half of it kept live, three different size mixes)
# must lie within ±10% of the true figures the program prints; and over
# RUNS runs with different seeds the mean error of each estimate must be
# within ±4% (the estimator is unbiased; its standard error per run is about
# sqrt(rate/bytes) = 2.6% for 768 MiB live, so ±10% is 3.9 standard errors,
# and the mean of 6 runs has ~1.0%, so ±4% is 3.8).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
RUNS=${RUNS:-6}

for run in $(seq 1 "$RUNS"); do
	dir="$WORK/p$run"
	PPROF_AGENT="dir=$dir,interval=0" LD_PRELOAD="$AGENT_LIB" \
		"$TESTS_BIN/prog_heap_mixed" "$run" >"$WORK/truth$run"
	prof=$(latest "$dir" heap)
	for idx in alloc_space inuse_space; do
		pprof "$WORK/$idx.$run" "$prof" -top -nodecount=1000 -unit=B -sample_index=$idx
	done
	samples=$(go tool pprof -raw "$prof" 2>/dev/null | awk '/^Samples:/ { s = 1; next } /^Locations/ { s = 0 } s && /^ *[0-9]+ +[0-9]+/ { n++ } END { print n + 0 }')
	echo "run $run: $samples sampled stacks in $prof; expected samples per site:" \
		"$(awk '{ printf "%s %d (%d live) ", $2, $4 / 524288, $6 / 524288 }' "$WORK/truth$run")"
	while read -r _ site ao as io is; do
		got_as=$(flat_value "$WORK/alloc_space.$run" "$site")
		got_is=$(flat_value "$WORK/inuse_space.$run" "$site")
		check_within "run $run $site alloc_space" "${got_as:-0}" "$as" 10
		check_within "run $run $site inuse_space" "${got_is:-0}" "$is" 10
		echo "$site $got_as $as $got_is $is" >>"$WORK/all"
	done <"$WORK/truth$run"
done

# Bias: the mean relative error over the runs, per site and value.
for site in site_small site_medium site_bimodal; do
	for col in alloc inuse; do
		err=$(awk -v s="$site" -v c="$col" '$1 == s {
			e = (c == "alloc") ? ($2 - $3) / $3 : ($4 - $5) / $5; sum += e; n++ }
			END { printf "%.2f", 100 * sum / n }' "$WORK/all")
		checks=$((checks + 1))
		if awk -v e="$err" 'BEGIN { exit !(e <= 4 && e >= -4) }'; then
			pass "$site ${col}_space mean error over $RUNS runs: $err%"
		else
			fail "$site ${col}_space mean error over $RUNS runs: $err% (bound ±4%)"
		fi
	done
done
finish
