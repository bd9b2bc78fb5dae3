#!/bin/sh
# e2e_text.sh — Go's text forms and runtime.Stack (prog_text.c):
#  - the debug=1 heap, block and mutex texts, written by
#    pprof_write_profile_debug and served as ?debug=1, read by go tool
#    pprof without a warning, with the same sample totals as the binary
#    profiles of the same moment (mem_rate=1: the exact numbers);
#  - the count texts of threadcreate and threads;
#  - pprof_stack: the calling thread's frames in call order, a truncated
#    call that returns len bytes of the same text, and all=1 listing every
#    thread once (20 waiting in a condition variable), as does threads?debug=2;
#  - dump_signal=SIGQUIT: each SIGQUIT writes DIR/PROGRAM.PID.threads.N.txt
#    naming every thread, and the program runs on and exits 0; a program
#    that ignores SIGQUIT, or installs its own handler, keeps it (one line);
#  - 1,000 threads in a condition variable under threads=1 snapshots: each
#    listed once in the debug=2 text, and the program exits 0.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

# sums OUT — the sums of each value column of the samples of a -raw report.
sums() {
	awk '/^Samples:/ { on = 1; next } /^Locations/ { on = 0 }
	     on && /^ *[0-9]/ { sub(/:.*/, ""); for (i = 1; i <= NF; i++) s[i] += $i; n = NF }
	     END { for (i = 1; i <= n; i++) printf "%s%d", (i > 1 ? " " : ""), s[i]; print "" }' "$1"
}

# start NAME NTHREADS OPTIONS [ENV...] — runs prog_text in the background
# into $WORK/NAME (pid in $pid), SIGQUIT at its default action (a
# background job of sh has it ignored), and waits until it is ready.
start() {
	name=$1 n=$2 opts=$3
	shift 3
	mkdir -p "$WORK/$name"
	env --default-signal=QUIT PPROF_AGENT="dir=$WORK/$name/p,$opts" LD_PRELOAD="$AGENT_LIB" "$@" \
		"$TESTS_BIN/prog_text" "$WORK/$name" "$WORK/$name/stop" "$n" \
		>"$WORK/$name/out" 2>"$WORK/$name/err" &
	pid=$!
	for _ in $(seq 1200); do
		grep -q ready "$WORK/$name/out" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	checks=$((checks + 1))
	if grep -q ready "$WORK/$name/out"; then pass "$name: ready"; else fail "$name: not ready"; cat "$WORK/$name/out" "$WORK/$name/err"; fi
}

# stop_and_wait NAME [STDERR] — lets prog_text end and checks its exit
# status and what it said on stderr (nothing, unless given).
stop_and_wait() {
	touch "$WORK/$1/stop"
	wait "$pid"
	check_eq "$1: exit status" "$?" 0
	check_eq "$1: stderr" "$(cat "$WORK/$1/err")" "${2:-}"
}

# wait_for FILE — up to 60 s.
wait_for() {
	for _ in $(seq 600); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# same_totals WHAT BINARY TEXT — go tool pprof reads both, without a
# warning, with the same sums of every sample type.
same_totals() {
	pprof "$WORK/bin.raw" "$2" -raw && pprof "$WORK/text.raw" "$3" -raw || return
	check_eq "$1: totals of the text as of the binary profile ($(sums "$WORK/bin.raw"))" \
		"$(sums "$WORK/text.raw")" "$(sums "$WORK/bin.raw")"
}

# thread_names FILE — the thread names of a debug=2 text, one a line.
thread_names() {
	sed -n 's/^thread [0-9]* "\([^"]*\)" \[.*\]:$/\1/p' "$1"
}

# every_parked_once WHAT FILE N — parked_0..parked_N-1 each name one block.
every_parked_once() {
	check_eq "$1: parked threads" "$(thread_names "$2" | grep -c '^parked_')" "$3"
	check_eq "$1: each once" "$(thread_names "$2" | grep '^parked_' | sort -u | wc -l)" "$3"
	check_eq "$1: every thread once" "$(sed -n 's/^thread \([0-9]*\) .*/\1/p' "$2" | sort | uniq -d)" ""
}

d="$WORK/api"
start api 20 "mem_rate=1,block_rate=1,mutex_fraction=1,interval=0,http=127.0.0.1:0,dump_signal=SIGQUIT"
for kind in heap block mutex; do
	same_totals "$kind" "$d/$kind.pb.gz" "$d/$kind.txt"
done
check_grep "heap text: Go's header, twice the rate" '^heap profile: [0-9]+: [0-9]+ \[[0-9]+: [0-9]+\] @ heap/2$' "$d/heap.txt"
check_grep "heap text: alloc_kept's record, raw counts" '^30: 30000 \[30: 30000\] @ 0x' "$d/heap.txt"
check_grep "heap text: a symbol line" '^#	0x[0-9a-f]+	alloc_kept\+0x[0-9a-f]+	.*prog_text\.c:[0-9]+$' "$d/heap.txt"
check_grep "heap text: the memory map" '^--- Memory map: ---$' "$d/heap.txt"
pprof "$WORK/kept.top" "$d/heap.txt" -top -unit=B -sample_index=inuse_space
check_grep "pprof reads alloc_kept from the heap text" '30000B .* alloc_kept$' "$WORK/kept.top"
check_eq "block text: Go's header" "$(head -2 "$d/block.txt" | tr '\n' ' ')" "--- contention: cycles/second=1000000000 "
check_grep "mutex text: sampling period" '^sampling period=1$' "$d/mutex.txt"
pprof "$WORK/mutex.top" "$d/mutex.txt" -top
check_grep "pprof reads hold_lock from the mutex text" ' hold_lock$' "$WORK/mutex.top"
check_eq "threadcreate text: the two contenders" "$(head -1 "$d/threadcreate.txt")" "threadcreate profile: total 2"
check_eq "threads text: main alone then" "$(head -1 "$d/threads.txt")" "threads profile: total 1"
check_grep "threads text: the labels" '^# labels: \{"state":"running", "thread_name":"prog_text"\}$' "$d/threads.txt"

# pprof_stack
check_eq "pprof_stack: the call chain in order" \
	"$(sed -n 's/^\([a-z_]*\)(\.\.\.)$/\1/p' "$d/stack_self.txt" | grep -E '^(stack_|main$)' | tr '\n' ' ')" \
	"stack_inner stack_middle stack_outer main "
check_grep "pprof_stack: file:line +offset" '^	.*prog_text\.c:[0-9]+ \+0x[0-9a-f]+$' "$d/stack_self.txt"
check_eq "pprof_stack: one thread" "$(grep -c '^thread ' "$d/stack_self.txt")" 1
check_eq "pprof_stack: truncated to len, the same text" "$(cat "$d/stack_cut.txt")" exact
check_eq "pprof_stack(all): the caller first" "$(thread_names "$d/stack_all.txt" | head -1)" prog_text
check_eq "pprof_stack(all): 21 threads" "$(grep -c '^thread ' "$d/stack_all.txt")" 21
every_parked_once "pprof_stack(all)" "$d/stack_all.txt" 20
every_parked_once "threads debug=2" "$d/threads2.txt" 20
check_eq "threads debug=2: parked in the condition variable" \
	"$(grep -A6 '"parked_7"' "$d/threads2.txt" | grep -c '^parked_thread(')" 1

# the same over HTTP, the program idle
addr=$(cat "$d"/p/*.http)
for kind in heap mutex; do
	curl -sS -o "$WORK/$kind.http.pb.gz" "http://$addr/debug/pprof/$kind"
	curl -sS -D "$WORK/$kind.h" -o "$WORK/$kind.http.txt" "http://$addr/debug/pprof/$kind?debug=1"
	check_grep "$kind?debug=1: text/plain" '^Content-Type: text/plain; charset=utf-8' "$WORK/$kind.h"
	same_totals "$kind?debug=1" "$WORK/$kind.http.pb.gz" "$WORK/$kind.http.txt"
done
curl -sS -o "$WORK/threads.http.txt" "http://$addr/debug/pprof/threads?debug=2"
every_parked_once "threads?debug=2" "$WORK/threads.http.txt" 20

# the thread dump on SIGQUIT, twice; the program runs on
for n in 0001 0002; do
	kill -QUIT "$pid"
	dump="$d/p/prog_text.$pid.threads.$n.txt"
	wait_for "$dump"
	check_eq "SIGQUIT: $n written" "$(ls "$dump" 2>/dev/null)" "$dump"
	[ -e "$dump" ] || continue
	every_parked_once "thread dump $n" "$dump" 20
	check_eq "thread dump $n: the main thread" "$(thread_names "$dump" | grep -c '^prog_text$')" 1
	check_eq "thread dump $n: the program runs on" "$(kill -0 "$pid" && echo running)" running
done
stop_and_wait api

# a program that ignores SIGQUIT (sh starts background jobs so) keeps it
mkdir -p "$WORK/ign"
PPROF_AGENT="dir=$WORK/ign/p,interval=0,dump_signal=SIGQUIT" LD_PRELOAD="$AGENT_LIB" \
	"$TESTS_BIN/prog_text" "$WORK/ign" "$WORK/ign/stop" 1 >"$WORK/ign/out" 2>"$WORK/ign/err" &
pid=$!
wait_for "$WORK/ign/threads2.txt"
kill -QUIT "$pid"
stop_and_wait ign "pprof-agent: option dump_signal: the program ignores SIGQUIT itself; no thread dumps on signal"
check_eq "ignored SIGQUIT: no thread dump" "$(ls "$WORK/ign/p" | grep -c 'threads\.')" 0

# a handler the program installs wins over the agent's
start own 1 "interval=0,dump_signal=SIGQUIT" PROG_TEXT_OWN_QUIT=1
kill -QUIT "$pid"
wait_for "$WORK/own/own_quit.txt"
check_eq "the program's own SIGQUIT handler ran" "$(cat "$WORK/own/own_quit.txt" 2>/dev/null)" ran
# said at the next snapshot: the final one
stop_and_wait own "pprof-agent: the program installed its own handler of SIGQUIT: no more thread dumps on signal"
check_eq "own handler: no thread dump" "$(ls "$WORK/own/p" | grep -c 'threads\.[0-9]*\.txt')" 0

# 1,000 threads in a condition variable, threads=1 snapshots meanwhile;
# a snapshot taken once they all wait (asked for by SIGUSR2, after every
# file present at "ready") lists each once
start many 1000 "mem_rate=0,threads=1,interval=200ms,signal=SIGUSR2"
every_parked_once "1000 threads: debug=2" "$WORK/many/threads2.txt" 1000
before=$(ls "$WORK/many/p" | grep -c '\.threads\..*\.pb\.gz$')
kill -USR2 "$pid"
for _ in $(seq 600); do
	[ "$(ls "$WORK/many/p" | grep -c '\.threads\..*\.pb\.gz$')" -gt "$before" ] && break
	sleep 0.1
done
prof=$(latest "$WORK/many/p" threads)
if pprof "$WORK/many.raw" "$prof" -raw; then
	check_eq "1000 threads: the threads profile lists each once" \
		"$(grep -o 'thread_name:\[parked_[0-9]*\]' "$WORK/many.raw" | sort -u | wc -l) $(grep -c 'thread_name:\[parked_' "$WORK/many.raw")" "1000 1000"
fi
stop_and_wait many
finish
