#!/bin/sh
# e2e_threads.sh — heap sampling from many threads at mem_rate=1
# (tests/programs/prog_threads.c): eight threads started together through a barrier
# each allocate in their own function worker_N, 10*(N+1) blocks of
# 100*(N+1) bytes, and free half, so every figure is exact; four threads
# exit while holding 25 x 256 B allocated in exit_holder, which the main
# thread frees afterwards: exit_holder's in-use figures must drop to 0.
# Three runs, to give races a chance to show.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

# expect TOPDIR FUNCTION alloc_objects alloc_space inuse_objects inuse_space
expect() {
	_d=$1 _fn=$2
	shift 2
	for idx in alloc_objects alloc_space inuse_objects inuse_space; do
		got=$(flat_value "$_d/$idx.top" "$_fn")
		# pprof lists no node for a function whose value is 0
		[ -z "$got" ] && [ "$1" = 0 ] && got=0
		check_eq "run $run: $_fn $idx" "$got" "$1"
		shift
	done
}

for run in 1 2 3; do
	d="$WORK/run$run"
	timeout 60 env PPROF_AGENT="dir=$d/p,mem_rate=1,interval=0" LD_PRELOAD="$AGENT_LIB" \
		"$TESTS_BIN/prog_threads" >"$d.out" 2>"$d.err"
	check_eq "run $run: exit status" "$?" 0
	check_eq "run $run: program output" "$(cat "$d.out")" "done"
	check_eq "run $run: no stderr" "$(cat "$d.err")" ""
	prof=$(latest "$d/p" heap)
	for idx in alloc_objects alloc_space inuse_objects inuse_space; do
		pprof "$d/$idx.top" "$prof" -top -nodecount=1000 -nodefraction=0 -unit=B -sample_index=$idx
	done
	n=0
	while [ $n -lt 8 ]; do
		k=$((n + 1))
		expect "$d" worker_$n $((10 * k)) $((1000 * k * k)) $((5 * k)) $((500 * k * k))
		n=$k
	done
	expect "$d" exit_holder 100 25600 0 0
done
finish
