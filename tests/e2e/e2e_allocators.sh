#!/bin/sh
# e2e_allocators.sh — the agent composed with another preloaded allocator,
# LD_PRELOAD="libpprof-agent.so ALLOCATOR" with jemalloc (libjemalloc2) and
# tcmalloc (libtcmalloc-minimal4), each skipped when not installed: the
# agent's hooks come first and pass every call on to ALLOCATOR. At
# mem_rate=1 the exact counts of tests/programs/prog_heap_exact.c and
# tests/programs/prog_threads.c must show, and a multi-threaded program that forks
# (tests/programs/prog_fork.c) must run to completion.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

# expect TOPPREFIX FUNCTION alloc_objects alloc_space inuse_objects inuse_space
expect() {
	_p=$1 _fn=$2
	shift 2
	for idx in alloc_objects alloc_space inuse_objects inuse_space; do
		got=$(flat_value "$_p.$idx" "$_fn")
		[ -z "$got" ] && [ "$1" = 0 ] && got=0   # no node for a value of 0
		check_eq "$name: $_fn $idx" "$got" "$1"
		shift
	done
}

# tops PREFIX PROFILE — the four -top reports, PREFIX.INDEX
tops() {
	for idx in alloc_objects alloc_space inuse_objects inuse_space; do
		pprof "$1.$idx" "$2" -top -nodecount=1000 -nodefraction=0 -unit=B -sample_index=$idx
	done
}

tested=0
for lib in libjemalloc.so.2 libtcmalloc_minimal.so.4; do
	name=${lib%%.so*}
	if ! ldconfig -p | grep -q "^[[:space:]]*$lib "; then
		echo "note: $lib not installed, not tested"
		continue
	fi
	tested=$((tested + 1))
	preload="$AGENT_LIB $lib"
	LD_PRELOAD="$preload" PPROF_AGENT="dir=$WORK/maps" sh -c 'cat /proc/$$/maps' >"$WORK/$name.maps"
	check_grep "$name: loaded beside the agent" "/$lib(\.[0-9]+)*\$" "$WORK/$name.maps"
	if [ $name = libjemalloc ]; then
		# jemalloc's exit statistics show it served the allocations
		MALLOC_CONF=stats_print:true PPROF_AGENT="dir=$WORK/stats,mem_rate=1" LD_PRELOAD="$preload" \
			timeout 60 "$TESTS_BIN/prog_heap_exact" >/dev/null 2>"$WORK/stats.err"
		check_grep "$name: jemalloc served the allocations" '^Allocated: [1-9]' "$WORK/stats.err"
	fi

	d="$WORK/$name.exact"
	timeout 60 env PPROF_AGENT="dir=$d,mem_rate=1,interval=0" LD_PRELOAD="$preload" \
		"$TESTS_BIN/prog_heap_exact" >"$d.out" 2>"$d.err"
	check_eq "$name: prog_heap_exact exit status" "$?" 0
	check_eq "$name: prog_heap_exact no stderr" "$(cat "$d.err")" ""
	tops "$d" "$(latest "$d" heap)"
	expect "$d" alloc_small 100 100000 60 60000
	expect "$d" alloc_calloc 10 3000 0 0
	expect "$d" alloc_aligned 20 81920 20 81920
	expect "$d" alloc_realloc 60 150300 30 150000

	d="$WORK/$name.threads"
	timeout 60 env PPROF_AGENT="dir=$d,mem_rate=1,interval=0" LD_PRELOAD="$preload" \
		"$TESTS_BIN/prog_threads" >"$d.out" 2>"$d.err"
	check_eq "$name: prog_threads exit status" "$?" 0
	tops "$d" "$(latest "$d" heap)"
	expect "$d" worker_0 10 1000 5 500
	expect "$d" worker_7 80 64000 40 32000
	expect "$d" exit_holder 100 25600 0 0

	d="$WORK/$name.fork"
	timeout 60 env PPROF_AGENT="dir=$d,mem_rate=1,interval=20ms" LD_PRELOAD="$preload" \
		"$TESTS_BIN/prog_fork" fork 3 >"$d.out" 2>"$d.err"
	check_eq "$name: prog_fork exit status" "$?" 0
	check_eq "$name: prog_fork children" "$(grep -c '^child [0-9]*$' "$d.out")" 3
	check_eq "$name: prog_fork heap files for 4 pids" \
		"$(ls "$d" | grep '\.heap\.' | cut -d. -f2 | sort -u | wc -l | tr -d ' ')" 4
done
if [ $tested -eq 0 ]; then
	echo "e2e_allocators: skipped, neither jemalloc nor tcmalloc is installed" \
		"(apt-get install libjemalloc2 libtcmalloc-minimal4)"
	exit 77
fi
finish
