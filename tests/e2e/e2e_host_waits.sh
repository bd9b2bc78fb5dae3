#!/bin/sh
# e2e_host_waits.sh — the threads kind never interrupts the program
# (tests/programs/host_waits.c): threads wait in nanosleep, poll,
# epoll_wait, select, sem_timedwait, read on a pipe, accept and
# pthread_cond_wait while a snapshot is taken every 10 ms, and not one call
# fails with EINTR or returns early. The threads profiles show each
# waiting thread's stack, from the C library's wrapper through the
# program's function that called it (built with frame pointers, so the
# frame pointer the wrappers do not save is recovered) to start_thread, with
# the system call as its state; the spinning thread is "running"; the
# agent's own thread is never listed. The program's own call of
# pprof_write_profile("threads") shows its own stack, and so does its
# record from pprof_thread_profile.
# The same program made to interrupt itself with a signal every 10 ms (as a
# profiler that samples by signal would) counts interruptions in every call
# but pthread_cond_wait (glibc hides them there), so the test can fail.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
PROG="$TESTS_BIN/host_waits"
SECONDS_RUN=3
CALLS="nanosleep poll epoll_wait select sem_timedwait read accept cond_wait"

d="$WORK/waits"
timeout 120 env PPROF_AGENT="dir=$d,threads=1,interval=10ms,mem_rate=0,threadcreate=0,keep=100000" \
	LD_PRELOAD="$AGENT_LIB" "$PROG" $SECONDS_RUN wait "$WORK/own.pb.gz" >"$WORK/waits.out" 2>"$WORK/waits.err"
check_eq "exit status" "$?" 0
check_eq "no stderr" "$(cat "$WORK/waits.err")" ""
for c in $CALLS; do
	check_grep "$c: called, never interrupted" "^$c calls=[1-9][0-9]* interrupted=0\$" "$WORK/waits.out"
done

# Snapshots were taken all along: the newest threads file's number.
last=$(latest "$d" threads)
seq=$(basename "$last" | sed 's/.*\.threads\.0*\([0-9][0-9]*\)\.pb\.gz$/\1/')
check_between "threads snapshots during the run" "${seq:-0}" 10 100000

# Files from the middle of the run (the last ones see the threads end),
# one line per sample: STATE|THREAD_NAME|f1;f2;...
middle() { printf '%s.threads.%04d.pb.gz' "${last%.threads.*}" "$1"; }
for f in $(middle $((seq / 3))) $(middle $((seq / 2))); do
	pprof "$WORK/traces" "$f" -traces || continue
	awk '/^-+\+-+$/ { if (st != "") print st "|" name "|" frames; st = name = frames = ""; next }
	     $1 == "state:" { st = $2; next }
	     $1 == "thread_name:" { name = $2; next }
	     $1 == "tid:" { next }
	     st != "" && NF == 2 && $1 ~ /^[0-9]+$/ { frames = $2; next }
	     st != "" && NF == 1 { frames = frames ";" $1 }' "$WORK/traces" >>"$WORK/samples"
done
pprof "$WORK/tags" "$(middle $((seq / 2)))" -tags
check_grep "go tool pprof -tags lists the states" "^ *state: *Total" "$WORK/tags"
check_grep "go tool pprof -tags lists poll among them" "^ +1(\.0)? .*: poll$" "$WORK/tags"

# expect CALL STATES — a sample of wait_in_CALL, its caller and its state
expect() {
	check_grep "$1: stack through the program's function, state $2" \
		"^($2)\|host_waits\|[^|]*;wait_in_$1;[a-z_]*_waiter;start_thread" "$WORK/samples"
}
expect nanosleep "nanosleep|clock_nanosleep"
expect poll "poll|ppoll"
expect epoll_wait "epoll_wait|epoll_pwait"
expect select "select|pselect6"
expect sem_timedwait "futex"
expect read "read"
expect accept "accept|accept4"
expect cond_wait "futex"
check_grep "the wrapper of poll is the leaf under wait_in_poll" "\|(__)?poll;wait_in_poll;" "$WORK/samples"
check_grep "the spinning thread is running, without a stack" '^running\|host_waits\|<unknown>$' "$WORK/samples"
checks=$((checks + 1))
if grep -q '|pprof-agent|' "$WORK/samples"; then
	fail "the agent's thread is listed"
else
	pass "the agent's thread is never listed"
fi

# The program's own call of pprof_write_profile("threads"): its own
# stack, from its call into the agent.
pprof "$WORK/own" "$WORK/own.pb.gz" -traces
check_grep "pprof_write_profile: the calling thread's own stack" \
	"^ +1 +write_threads_profile\$" "$WORK/own"
check_grep "pprof_write_profile: its caller, main" "^ +main\$" "$WORK/own"
# pprof_thread_profile, after the other threads ended: main alone, copied
# only once there is room (n, ok), its stack from its call.
check_grep "pprof_thread_profile: n, ok and the caller's own record" \
	"^records 1: 0 then 1, own running in write_threads_profile: yes\$" "$WORK/waits.out"

# The same program interrupting itself: the counts see it.
timeout 120 "$PROG" 1 interrupt >"$WORK/interrupt.out" 2>&1
check_eq "interrupting run: exit status" "$?" 0
for c in nanosleep poll epoll_wait select sem_timedwait read accept; do
	check_grep "interrupting run: $c interruptions counted" "^$c calls=[0-9]+ interrupted=[1-9]" \
		"$WORK/interrupt.out"
done
finish
