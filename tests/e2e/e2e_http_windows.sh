#!/bin/sh
# e2e_http_windows.sh — profiles over a span of time, read by go tool pprof
# and checked against what the program itself logged over the same span
# (prog_http_rate: "NANOS COUNT" each round), never against the clock:
#   heap?seconds=2 at mem_rate=64k: churn's alloc_space is the bytes churn
#     allocated in the window (+-10%), keep_live's inuse_space the 20 MiB
#     live set (not its difference, which is 0);
#   block?seconds=2 and mutex?seconds=2 at once: the waits in the window;
#   delta=1: each periodic heap file counts what happened since the one
#     before, and says so in its comments;
#   profile?seconds=2: the cpu profile names burn, beside cpu_hz files; a
#     second profile request while one runs gets 409 with one line;
#   other requests are answered while a window is open; the index lists
#   threads and goroutine with their counts, and profile; goroutine is
#   the threads kind;
#   children: a program executed with the option serves on its own port,
#     and with a fixed port its parent holds it says so in one line and
#     runs on.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "${top_srcdir:-.}/tests/e2e/http_lib.sh"

# span RAW — "START END" in wall-clock nanoseconds of a profile printed by
# pprof -raw: its Time, and the span its delta comment states.
span() {
	t=$(sed -n 's/^Time: \(.*\) UTC$/\1/p' "$1")
	s=$(date -d "$t" +%s%N)
	d=$(sed -n 's/.* over the \([0-9.]*\) s from time_nanos on.*/\1/p' "$1" | head -1)
	awk -v s="$s" -v d="$d" 'BEGIN { printf "%.0f %.0f\n", s, s + d * 1e9 }'
}

# logged LOG START END — what the program counted between START and END
# (each the last line logged at or before it).
logged() {
	awk -v a="$2" -v b="$3" '$1 <= a { ca = $2 } $1 <= b { cb = $2 } END { print cb - ca }' "$1"
}

# saved OUT — the file go tool pprof saved the profile it fetched into.
saved() { sed -n 's/^Saved profile in //p' "$1.err"; }

stop="$WORK/stop"

# ---- heap?seconds=2 ----
HTTP_OPTS="mem_rate=64k,interval=0" serve heap "$TESTS_BIN/prog_http_rate" heap "$WORK/heap.log" "$stop"
get during_before /debug/pprof/cmdline   # the server is up
pprof_http "$WORK/heap.raw" "http://$addr/debug/pprof/heap?seconds=2" -raw &
raw_pid=$!
sleep 0.5
get during /debug/pprof/cmdline
check_eq "cmdline answered while a window is open" "$(status during)" 200
wait "$raw_pid"
set -- $(span "$WORK/heap.raw")
check_between "heap window length (ns)" "$(($2 - $1))" 1900000000 2500000000
check_grep "heap delta says what counts the window" \
	'^Comment: seconds=2: alloc_objects and alloc_space count what happened over the [0-9.]* s from time_nanos on; inuse_objects and inuse_space are what is live at its end' "$WORK/heap.raw"
f=$(saved "$WORK/heap.raw")
pprof "$WORK/heap.alloc" "$f" -top -nodecount=1000 -unit=B -sample_index=alloc_space
pprof "$WORK/heap.inuse" "$f" -top -nodecount=1000 -unit=B -sample_index=inuse_space
want=$(logged "$WORK/heap.log" "$1" "$2")
check_between "churn allocated in the window (program's count, bytes)" "$want" 10000000 100000000000
check_within "churn alloc_space over the window" "$(flat_value "$WORK/heap.alloc" churn)" "$want" 10
check_within "keep_live inuse_space (absolute, not a difference)" \
	"$(flat_value "$WORK/heap.inuse" keep_live)" 20971520 1
touch "$stop"
wait "$pid"
check_eq "prog_http_rate heap exit status" "$?" 0
rm -f "$stop"

# ---- block and mutex over the same two seconds ----
HTTP_OPTS="mem_rate=0,block_rate=1,mutex_fraction=1,interval=0" \
	serve locks "$TESTS_BIN/prog_http_rate" locks "$WORK/locks.log" "$stop"
pprof_http "$WORK/block.raw" "http://$addr/debug/pprof/block?seconds=2" -raw &
b_pid=$!
pprof_http "$WORK/mutex.raw" "http://$addr/debug/pprof/mutex?seconds=2" -raw
wait "$b_pid"
for kind in block mutex; do
	fn=wait_for_lock
	[ "$kind" = mutex ] && fn=hold_lock
	set -- $(span "$WORK/$kind.raw")
	want=$(logged "$WORK/locks.log" "$1" "$2")
	pprof "$WORK/$kind.top" "$(saved "$WORK/$kind.raw")" -top -nodecount=1000 -sample_index=contentions
	check_between "waits in the $kind window (program's count)" "$want" 20 100000
	got=$(flat_value "$WORK/$kind.top" "$fn")
	# block: one per wait the program counted; mutex: the holder's
	# unlocks that had a waiter, which may count a few more than the
	# waits the program saw (up to 12% more seen once)
	high=$((want * 11 / 10 + 2))
	[ "$kind" = mutex ] && high=$((want * 13 / 10 + 2))
	check_between "$kind: $fn contentions over the window (program counted $want)" "${got:-0}" \
		$((want * 9 / 10 - 2)) "$high"
done
touch "$stop"
wait "$pid"
check_eq "prog_http_rate locks exit status" "$?" 0
rm -f "$stop"

# ---- delta=1: periodic files of what happened since the last ----
HTTP_OPTS="mem_rate=64k,interval=1s,delta=1" serve periodic "$TESTS_BIN/prog_http_rate" heap "$WORK/periodic.log" "$stop"
for _ in $(seq 300); do [ "$(ls "$WORK/periodic"/*.heap.*.pb.gz 2>/dev/null | wc -l)" -ge 3 ] && break; sleep 0.1; done
touch "$stop"
wait "$pid"
check_eq "prog_http_rate (delta=1) exit status" "$?" 0
second=$(ls "$WORK/periodic"/*.heap.*.pb.gz | sort | sed -n 2p)
pprof "$WORK/p.raw" "$second" -raw
check_grep "delta=1 file says so" '^Comment: delta=1 \(since the previous file\): alloc_objects and alloc_space count what happened over the' "$WORK/p.raw"
set -- $(span "$WORK/p.raw")
want=$(logged "$WORK/periodic.log" "$1" "$2")
pprof "$WORK/p.alloc" "$second" -top -nodecount=1000 -unit=B -sample_index=alloc_space
pprof "$WORK/p.inuse" "$second" -top -nodecount=1000 -unit=B -sample_index=inuse_space
check_within "delta=1: churn alloc_space since the previous file" "$(flat_value "$WORK/p.alloc" churn)" "$want" 10
check_within "delta=1: keep_live inuse_space stays absolute" "$(flat_value "$WORK/p.inuse" keep_live)" 20971520 1
rm -f "$stop"

# ---- profile?seconds=2, beside cpu_hz files; one at a time ----
HTTP_OPTS="mem_rate=0,cpu_hz=100,interval=1s" serve burn "$TESTS_BIN/prog_http_rate" burn "$WORK/burn.log" "$stop"
pprof_http "$WORK/cpu.top" "http://$addr/debug/pprof/profile?seconds=2" -top -nodecount=5
check_eq "the cpu profile's top function" "$(awk '/flat%/ { getline; print $6; exit }' "$WORK/cpu.top")" burn
get first "/debug/pprof/profile?seconds=3" &
first_pid=$!
sleep 0.3
get second "/debug/pprof/profile?seconds=3"
wait "$first_pid"
# which one came first is the scheduler's choice
served=first refused=second
[ "$(status first)" = 409 ] && served=second refused=first
check_eq "two cpu profiles at once: one is served, one refused" \
	"$(status "$served") $(status "$refused")" "200 409"
check_eq "the refusal is one line" "$(cat "$WORK/$refused.b")" \
	"Could not enable CPU profiling: cpu profiling already in use"
check_eq "the served one: Content-Disposition" "$(header "$served" Content-Disposition)" \
	'attachment; filename="profile"'
get index /debug/pprof/
check_grep "index: threads with their count" "<tr><td>[1-9][0-9]*</td><td><a href='threads'>threads</a>" "$WORK/index.b"
check_grep "index: goroutine with its count" "<tr><td>[1-9][0-9]*</td><td><a href='goroutine'>goroutine</a>" "$WORK/index.b"
check_grep "index: profile" "<a href='profile'>profile</a>" "$WORK/index.b"
pprof_http "$WORK/goroutine.top" "http://$addr/debug/pprof/goroutine" -top -nodecount=50
# one thread, running (shown without its stack), the agent's left out
check_grep "goroutine: the threads kind: the program's one thread" "^Type: threads" "$WORK/goroutine.top"
check_grep "goroutine: one thread" "of 1 total" "$WORK/goroutine.top"
get badcpu "/debug/pprof/profile?seconds=301"
check_eq "profile?seconds=301: 400" "$(status badcpu)" 400
check_eq "profile?seconds=301: one line" "$(wc -l <"$WORK/badcpu.b" | tr -d ' ')" 1
touch "$stop"
wait "$pid"
check_eq "prog_http_rate burn exit status" "$?" 0
check_between "periodic cpu files written meanwhile" "$(ls "$WORK/burn"/*.cpu.*.pb.gz | wc -l)" 2 1000
rm -f "$stop"

# ---- children: an executed child serves on its own ----
serve exec sh -c "$TESTS_BIN/prog_wait 120000 0 $stop; true"
for _ in $(seq 300); do [ "$(ls "$WORK/exec"/*.http 2>/dev/null | wc -l)" -ge 2 ] && break; sleep 0.1; done
check_eq "the shell and the program it executed each wrote an address" "$(ls "$WORK/exec"/*.http | wc -l)" 2
for f in "$WORK/exec"/*.http; do
	addr=$(cat "$f")
	get cmd /debug/pprof/cmdline
	tr '\0' ' ' <"$WORK/cmd.b" >>"$WORK/cmdlines"
	echo >>"$WORK/cmdlines"
done
check_grep "the executed program serves its own profiles" "^$TESTS_BIN/prog_wait 120000 0 $stop\$" "$WORK/cmdlines"
check_grep "the shell serves its own" "^sh -c " "$WORK/cmdlines"
touch "$stop"
wait "$pid"
check_eq "sh exit status" "$?" 0
rm -f "$stop"

# with a fixed port, the executed child finds it held: one line, runs on
port=$(/usr/bin/python3.11 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PPROF_AGENT="dir=$WORK/fixed,mem_rate=1,interval=0,http=127.0.0.1:$port" LD_PRELOAD="$AGENT_LIB" \
	sh -c "$TESTS_BIN/prog_wait 1500 0; true" >"$WORK/fixed.out" 2>"$WORK/fixed.err"
check_eq "sh and its child with a fixed port: exit status" "$?" 0
check_eq "the child says the port is held, in one line" "$(cat "$WORK/fixed.err")" \
	"pprof-agent: http: cannot listen on 127.0.0.1:$port: Address already in use; nothing is served"
check_grep "the child ran on" '^prog_wait [0-9]* running' "$WORK/fixed.out"

finish
