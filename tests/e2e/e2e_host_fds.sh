#!/bin/sh
# e2e_host_fds.sh — the agent holds no descriptor the program can close,
# reuse or see (tests/programs/host_fds.c): the program closes every
# descriptor from 3 up, makes a socketpair (fds 3 and 4) and passes 2000
# numbered requests through it while the agent samples every allocation and
# snapshots every 10 ms. Every request comes back whole (the agent's
# unwinder once held a pipe at fds 3 and 4 and read a byte of the
# program's request from it), and the program sees no descriptor of the
# agent's in its range: apart from its own, only numbers far above it
# (open for a moment while a snapshot runs).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
PROG="$TESTS_BIN/host_fds"

timeout 60 env PPROF_AGENT="dir=$WORK/out,interval=10ms,mem_rate=1" LD_PRELOAD="$AGENT_LIB" \
	"$PROG" 2000 >"$WORK/fds.out" 2>"$WORK/fds.err"
check_eq "exit status" "$?" 0
check_eq "between snapshots the agent holds no descriptor (as without it)" \
	"$(grep '^start' "$WORK/fds.out")" "$("$PROG" 0 | grep '^start')"
check_grep "the socketpair got fds 3 and 4" "^socketpair 3 4\$" "$WORK/fds.out"
check_eq "no request came back damaged" "$(grep -c 'came back' "$WORK/fds.out")" 0
check_eq "no stderr" "$(cat "$WORK/fds.err")" ""
low=$(awk '$1 == "fds" { for (i = 2; i <= NF; i++) if ($i < 1000) printf "%s ", $i }' "$WORK/fds.out")
check_eq "descriptors below 1000" "$low" "0 1 2 3 4 "
pprof "$WORK/heap.top" "$(latest "$WORK/out" heap)" -top
finish
