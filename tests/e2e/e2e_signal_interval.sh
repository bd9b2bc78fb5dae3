#!/bin/sh
# e2e_signal_interval.sh — when files are written (tests/programs/prog_wait.c,
# a single-threaded program that allocates every 10 ms; at mem_rate=1 each
# allocation is a sampled event, where a process without an agent thread
# takes the snapshots that are due):
#  - signal=SIGUSR2 with interval=0: nothing is written until SIGUSR2
#    arrives; each SIGUSR2 writes a new file (seq 0001, then 0002) while the
#    program runs on, unharmed and with its one thread; the exit snapshot
#    comes after (0003); the same with early_thread=1, where the agent's
#    thread takes them;
#  - interval=200ms over a ~1.5 s run: several files, numbered 0001, 0002,
#    ... without gaps, each readable;
#  - keep=2 with interval=100ms: at most two files per kind remain, the
#    newest ones (consecutive, high seq numbers).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
PROG="$TESTS_BIN/prog_wait"

# wait_for COUNT DIR PATTERN — polls up to 10 s until DIR holds COUNT
# files matching PATTERN (grep -E); prints how many there are.
wait_for() {
	i=0
	while :; do
		n=$(ls "$2" 2>/dev/null | grep -Ec "$3")
		[ "$n" -ge "$1" ] || [ $i -ge 100 ] && break
		sleep 0.1
		i=$((i + 1))
	done
	echo "$n"
}

# seqs DIR KIND — the SEQ numbers of KIND's files, sorted, on one line
seqs() {
	ls "$1" 2>/dev/null | sed -n "s/.*\.$2\.\([0-9]*\)\.pb\.gz\$/\1/p" | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# signal_run NAME OPTIONS THREADS — the signal scenario; THREADS is how
# many threads the program has while it runs.
signal_run() {
d="$WORK/$1"
timeout 60 env PPROF_AGENT="dir=$d,interval=0,signal=SIGUSR2,$2" LD_PRELOAD="$AGENT_LIB" \
	"$PROG" 20000 0 "$WORK/stop.$1" >"$d.out" 2>"$d.err" &
job=$!
i=0
while [ $i -lt 100 ] && ! grep -q running "$d.out" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
check_eq "$1: the program started" "$(grep -c running "$d.out")" 1
pid=$(awk '$3 == "running" { print $2 }' "$d.out")
sleep 0.3
check_eq "$1: threads of the program" "$(ls /proc/"$pid"/task | wc -l | tr -d ' ')" "$3"
check_eq "$1: no file before the signal" "$(ls "$d" 2>/dev/null | grep -c '\.pb\.gz$')" 0
kill -USR2 "$pid"
check_eq "$1: heap file after the first SIGUSR2" "$(wait_for 1 "$d" '\.heap\.0001\.pb\.gz$')" 1
pprof "$WORK/sig1.top" "$d/prog_wait.$pid.heap.0001.pb.gz" -top -sample_index=alloc_objects
check_eq "$1: wait_alloc in the on-demand snapshot" "$(flat_value "$WORK/sig1.top" wait_alloc)" 40
kill -USR2 "$pid"
check_eq "$1: heap file after the second SIGUSR2" "$(wait_for 1 "$d" '\.heap\.0002\.pb\.gz$')" 1
check_eq "$1: the program still runs" "$(kill -0 "$pid" 2>/dev/null && echo yes)" yes
touch "$WORK/stop.$1"
wait $job
check_eq "$1: exit status" "$?" 0
check_eq "$1: program output" "$(sed 's/[0-9][0-9]*/PID/' "$d.out" | tr '\n' '|')" \
	"prog_wait PID running|prog_wait done|"
check_eq "$1: no stderr" "$(cat "$d.err")" ""
check_eq "$1: heap seqs" "$(seqs "$d" heap)" "0001 0002 0003"
check_eq "$1: threadcreate seqs" "$(seqs "$d" threadcreate)" "0001 0002 0003"
}

signal_run sig mem_rate=1 1
signal_run sigthread early_thread=1,mem_rate=1 2

# interval
d="$WORK/int"
timeout 60 env PPROF_AGENT="dir=$d,interval=200ms,mem_rate=1" LD_PRELOAD="$AGENT_LIB" \
	"$PROG" 1500 0 >"$d.out" 2>"$d.err"
check_eq "interval: exit status" "$?" 0
check_eq "interval: no stderr" "$(cat "$d.err")" ""
s=$(seqs "$d" heap)
n=$(echo "$s" | wc -w | tr -d ' ')
checks=$((checks + 1))
if [ "$n" -ge 5 ] && [ "$n" -le 10 ]; then pass "interval: $n heap files in 1.5 s at 200ms"
else fail "interval: $n heap files ($s) in 1.5 s at 200ms, want 5 to 10 (7 periodic + 1 at exit)"; fi
check_eq "interval: heap seqs without gaps" "$s" "$(seq -f %04g 1 "$n" | tr '\n' ' ' | sed 's/ $//')"
check_eq "interval: as many threadcreate files" "$(seqs "$d" threadcreate)" "$s"
pprof "$WORK/int1.top" "$(ls "$d"/*.heap.0001.pb.gz)" -top
pprof "$WORK/intn.top" "$(latest "$d" heap)" -top

# keep
d="$WORK/keep"
timeout 60 env PPROF_AGENT="dir=$d,interval=100ms,keep=2,mem_rate=1" LD_PRELOAD="$AGENT_LIB" \
	"$PROG" 1500 0 >"$d.out" 2>"$d.err"
check_eq "keep=2: exit status" "$?" 0
for kind in heap threadcreate; do
	s=$(seqs "$d" $kind)
	check_eq "keep=2: $kind files left" "$(echo "$s" | wc -w | tr -d ' ')" 2
	first=$(echo "$s" | awk '{ print $1 + 0 }')
	last=$(echo "$s" | awk '{ print $2 + 0 }')
	check_eq "keep=2: the two $kind files left are consecutive" "$((last - first))" 1
	checks=$((checks + 1))
	if [ "$last" -ge 8 ]; then pass "keep=2: newest $kind seq $last >= 8 (older ones removed)"
	else fail "keep=2: newest $kind seq '$last', want >= 8 (15 periodic + 1 at exit)"; fi
done
check_eq "keep=2: no temporary files" "$(ls -A "$d" | grep -vc '\.pb\.gz$')" 0
pprof "$WORK/keep.top" "$(latest "$d" heap)" -top
finish
