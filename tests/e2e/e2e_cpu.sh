#!/bin/sh
# e2e_cpu.sh — the cpu profile (cpu_hz), read through go tool pprof:
#  - accuracy: prog_cpu burn spends 1.4 s of one thread's CPU time in
#    burn_a and 0.6 s of another's in burn_b while a third sleeps: at
#    1000 Hz the shares are 70% and 30% within 5 points, the profile's
#    total is the CPU time of the program's threads (their own clocks; the
#    agent's threads are not profiled) within 10%, the sleeping
#    thread is absent, and the types are Go's (samples/count, cpu/nanoseconds,
#    period 1 ms);
#  - intervals: with snapshots every 300 ms each file covers the time since
#    the one before, so the files add up to the program's CPU time;
#  - the host is never interrupted: threads waiting in nanosleep, poll,
#    read, pthread_cond_wait and pthread_cond_timedwait while others burn CPU at 1000 Hz see no EINTR
#    and no early return (and the same program does see them when it sends
#    itself signals, so the check can fail).
# Every run uses cpu_timer=$CPU_TIMER (perf unless set: e2e_cpu_signal.sh
# runs the same checks with signal), and the profile's comment names it.
# Skipped, with the reason, where the kernel refuses perf events.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
PROG="$TESTS_BIN/prog_cpu"
CPU_TIMER=${CPU_TIMER:-perf}
# How far a total may be from the threads' clocks (%): CPU-time timers
# have delivered up to 17% fewer periods than the clocks count on a heavily
# loaded machine (docs/cpu.md), perf events stay within a few percent.
if [ "$CPU_TIMER" = perf ]; then TOTAL_TOLERANCE=10; else TOTAL_TOLERANCE=25; fi

run_cpu() { # DIR OPTIONS ARGS...
	_d=$1 _o=$2
	shift 2
	PPROF_AGENT="dir=$_d,cpu_timer=$CPU_TIMER,$_o" LD_PRELOAD="$AGENT_LIB" "$PROG" "$@" \
		2>"$WORK/stderr"
}

# -- accuracy --
d="$WORK/burn"
total_ns=$(run_cpu "$d" cpu_hz=1000 burn)
if grep -q "the kernel refuses to sample" "$WORK/stderr"; then
	echo "SKIP: $(cat "$WORK/stderr")"
	exit 77
fi
check_eq "stderr of a profiled run" "$(cat "$WORK/stderr")" ""
f=$(latest "$d" cpu)
if pprof "$WORK/top" "$f" -top -cum -unit=ms -nodecount=100; then
	total=$(total_ms "$WORK/top")
	a=$(cum_pct "$WORK/top" thread_a)
	b=$(cum_pct "$WORK/top" thread_b)
	check_between "thread_a's share of the cpu profile (%)" "${a:-0}" 65 75
	check_between "thread_b's share of the cpu profile (%)" "${b:-0}" 25 35
	check_within "cpu profile total (ms) against the threads' CPU clocks" "${total:-0}" \
		"$(awk -v n="$total_ns" 'BEGIN { printf "%.0f", n / 1e6 }')" "$TOTAL_TOLERANCE"
	checks=$((checks + 1))
	if grep -q "sleep_a_while" "$WORK/top"; then
		fail "the sleeping thread is in the cpu profile"
	else
		pass "the sleeping thread is not in the cpu profile"
	fi
fi
if pprof "$WORK/raw" "$f" -raw; then
	check_grep "sample types samples/count cpu/nanoseconds" "^samples/count cpu/nanoseconds" "$WORK/raw"
	check_grep "period 1 ms of cpu" "^PeriodType: cpu nanoseconds" "$WORK/raw"
	check_grep "period value" "^Period: 1000000$" "$WORK/raw"
	if [ "$CPU_TIMER" = perf ]; then taker="perf events"; else taker="SIGPROF from a CPU-time timer"; fi
	check_grep "the comment names what took the samples" "^Comment: cpu samples taken by $taker" \
		"$WORK/raw"
fi

# -- intervals --
d="$WORK/intervals"
total_ns=$(run_cpu "$d" cpu_hz=1000,interval=300ms,keep=1000 burn)
n=$(ls "$d"/*.cpu.*.pb.gz | wc -l)
check_between "cpu files written every 300 ms over a run of 2 s of CPU" "$n" 2 1000
sum=0
for f in "$d"/*.cpu.*.pb.gz; do
	pprof "$WORK/t" "$f" -top -unit=ms -nodecount=1 || continue
	v=$(total_ms "$WORK/t")
	sum=$(awk -v s="$sum" -v v="${v:-0}" 'BEGIN { print s + v }')
done
check_within "the cpu files' totals added up (ms) against the threads' CPU clocks" "$sum" \
	"$(awk -v n="$total_ns" 'BEGIN { printf "%.0f", n / 1e6 }')" "$TOTAL_TOLERANCE"

# -- the C API (Go's StartCPUProfile/StopCPUProfile), without cpu_hz --
d="$WORK/api"
out=$(run_cpu "$d" mem_rate=0 api "$WORK/api.pb.gz")
check_eq "pprof_start_cpu_profile, a second start, pprof_stop_cpu_profile" "$out" "api ok"
if pprof "$WORK/api.top" "$WORK/api.pb.gz" -top -cum -unit=ms; then
	v=$(cum_pct "$WORK/api.top" burn_a)
	check_between "burn_a's share of the API's cpu profile (%)" "${v:-0}" 90 100
	total=$(total_ms "$WORK/api.top")
	check_between "the API's cpu profile total (ms; 500 burnt)" "${total:-0}" 400 600
fi
check_eq "periodic cpu files without cpu_hz" "$(ls "$d" 2>/dev/null | grep -c '\.cpu\.')" 0

# -- the host is never interrupted (by signals: a thread that waits uses no
# CPU time, so its CPU-time timer does not expire) --
out=$(run_cpu "$WORK/blocked" cpu_hz=1000 blocked)
check_eq "waits interrupted or cut short while sampling at 1000 Hz" "$out" "interruptions 0"
out=$("$PROG" blocked --signal)
checks=$((checks + 1))
if [ "$out" != "interruptions 0" ]; then
	pass "the check sees interruptions when there are some ($out)"
else
	fail "signals sent to the waiting threads were not seen as interruptions"
fi
finish
