#!/bin/sh
# e2e_host_deadlocks.sh — no agent lock is ever waited for where that can
# deadlock, each run under `timeout`:
#  - a signal handler that mallocs and frees, about 20 000 times a second
#    while three threads allocate at mem_rate=1 (tests/programs/
#    host_signal_malloc.c): the handler can interrupt a thread inside the
#    agent's free path, which once took the same table lock again;
#  - jemalloc and tcmalloc preloaded after the agent, each with a
#    multi-threaded program that forks 50 times while every agent lock is
#    busy (tests/programs/prog_fork_storm.c at block_rate=1,
#    mutex_fraction=1, mem_rate=1): fork's prepare handler once held an
#    agent lock while jemalloc's waited for a mutex whose holder waited for
#    that agent lock. Each allocator is skipped when not installed.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

timeout 60 env PPROF_AGENT="dir=$WORK/sig,mem_rate=1" LD_PRELOAD="$AGENT_LIB" \
	"$TESTS_BIN/host_signal_malloc" 5000 >"$WORK/sig.out" 2>&1
check_eq "malloc in a signal handler: exit status (124: deadlocked)" "$?" 0
check_grep "malloc in a signal handler: the handler ran" "^handled [1-9]" "$WORK/sig.out"

${CC:-cc} -shared -fPIC -g -O1 -nostartfiles -o "$WORK/libstorm.so" \
	"$top_srcdir/tests/programs/prog_dlopen_lib.c" || exit 99
for lib in libjemalloc.so.2 libtcmalloc_minimal.so.4; do
	if ! ldconfig -p | grep -q "^[[:space:]]*$lib "; then
		echo "note: $lib not installed, not tested"
		continue
	fi
	d="$WORK/${lib%%.so*}"
	timeout 120 env PPROF_AGENT="dir=$d,interval=20ms,mem_rate=1,block_rate=1,mutex_fraction=1" \
		LD_PRELOAD="$AGENT_LIB $lib" "$TESTS_BIN/prog_fork_storm" "$WORK/libstorm.so" 50 \
		>"$d.out" 2>"$d.err"
	check_eq "$lib: fork storm exit status (124: deadlocked)" "$?" 0
	check_eq "$lib: children hung" "$(grep -c 'hung$' "$d.out")" 0
	check_eq "$lib: children that wrote a heap profile" \
		"$(ls "$d" | grep '\.heap\.' | cut -d. -f2 | sort -u | wc -l | tr -d ' ')" 51
	# what a child without a heap profile left, and what the agent said
	for p in $(awk '$1 == "child" { print $2 }' "$d.out"); do
		ls "$d" | grep -q "\.$p\.heap\." && continue
		echo "    child $p wrote no heap profile; its files: $(ls -a "$d" | grep "\.$p\." | tr '\n' ' ')"
		sed 's/^/    stderr: /' "$d.err" | head -20
	done
done
finish
