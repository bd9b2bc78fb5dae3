#!/bin/sh
# e2e_thread_churn.sh — the threads kind while threads come and go
# (tests/programs/thread_churn.c): 3,200 threads, half of them on stacks
# the program unmaps right after joining them, each living 1 ms, while the
# threads kind is written every 10 ms. Nothing crashes or hangs, the program
# ends as it would alone, snapshots were taken all along, and every threads
# file reads in go tool pprof without a warning; the last one (at exit)
# holds the main thread alone.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

timeout 120 env PPROF_AGENT="dir=$WORK/p,threads=1,interval=10ms,keep=100000,mem_rate=0" \
	LD_PRELOAD="$AGENT_LIB" "$TESTS_BIN/thread_churn" 400 >"$WORK/out" 2>"$WORK/err"
check_eq "exit status" "$?" 0
check_eq "the program's output" "$(cat "$WORK/out")" "rounds 400 threads 3200"
check_eq "stderr" "$(cat "$WORK/err")" ""
n=$(ls "$WORK/p" | grep -c '\.threads\..*\.pb\.gz$')
check_between "threads files written during the run" "$n" 5 100000
bad=0
for f in "$WORK"/p/*.threads.*.pb.gz; do
	if ! go tool pprof -raw "$f" >"$WORK/raw" 2>"$WORK/raw.err" || [ -s "$WORK/raw.err" ]; then
		bad=$((bad + 1))
		[ $bad -eq 1 ] && { echo "first unreadable file: $f"; cat "$WORK/raw.err"; }
	fi
done
check_eq "threads files go tool pprof could not read cleanly" "$bad" 0
last=$(latest "$WORK/p" threads)
if pprof "$WORK/last.top" "$last" -top -nodecount=100 -sample_index=0; then
	total=$(awk '/Showing nodes accounting for/ { for (i = 1; i <= NF; i++) if ($i == "total") { v = $(i - 1); print v; exit } }' "$WORK/last.top")
	check_eq "threads in the last file (main alone)" "$total" 1
fi
finish
