#!/bin/sh
# e2e_contention.sh — block, mutex and threadcreate profiles of
# prog_contention, read through go tool pprof and compared with what the
# program measured itself ("true ..." lines on its output), with bounds
# that hold however busy the machine is:
#  - known: each waiting function is charged, in the block profile, a delay
#    between the program's inner and outer bounds of its wait, and each
#    holding function (the unlocker), in the mutex profile, one between the
#    bounds of the wait it caused; the waiter is not charged there;
#  - short: with block_rate far above the event durations, the up-weighted
#    total delay matches the program's own total within 6 standard errors
#    of the sampling (and a little less for the hooks' own time, which the
#    program's measurement includes);
#  - fraction: every handoff is a contention, so mutex_fraction=1 counts
#    exactly the handoffs and charges a delay within their bounds;
#    mutex_fraction=5 counts in multiples of 5 and estimates both within 6
#    standard deviations of the same run's truths;
#  - threads: three creating functions with 2, 3 and 4 threads;
#  - shared: a process with one thread waiting for a process-shared mutex
#    its child holds is charged, in the block profile, a delay within the
#    bounds (the agent watches no other lock in such a process);
#  - none: no block or mutex file at exit (a kind with no sample whose
#    file was never written is left out of the final snapshot).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
PROG="$TESTS_BIN/prog_contention"
SLACK_NS=1000000      # clock reads by different threads, on different CPUs
SHORT_RATE_NS=1000000 # block_rate of the short run
OVERHEAD_PCT=2        # the hooks' time around a wait, in the program's total
SIGMAS=6

run() { # DIR OPTIONS MODE
	PPROF_AGENT="dir=$1,interval=0,$2" LD_PRELOAD="$AGENT_LIB" "$PROG" "$3" >"$1.out"
	check_eq "prog_contention $3 exit status" "$?" 0
}

# truth OUT FN WHAT [N] — the Nth number (default 1) of the line
# "true FN WHAT ..." that the program printed into OUT.
truth() {
	awk -v fn="$2" -v what="$3" -v n="${4:-1}" \
		'$1 == "true" && $2 == fn && $3 == what { print $(3 + n) }' "$1"
}

# check_bounded WHAT GOT OUT FN — GOT lies between the inner and outer
# bounds the program printed for FN, give or take SLACK_NS.
check_bounded() {
	check_between "$1" "$2" "$(($(truth "$3" "$4" delay 2) - SLACK_NS))" \
		"$(($(truth "$3" "$4" delay 1) + SLACK_NS))"
}

# check_estimate WHAT GOT LOW HIGH SD — a sampled estimate of a truth in
# [LOW, HIGH] whose standard deviation is at most SD.
check_estimate() {
	_est_low=$(awk -v v="$3" -v sd="$5" -v k=$SIGMAS 'BEGIN { printf "%.0f", v - k * sd }')
	_est_high=$(awk -v v="$4" -v sd="$5" -v k=$SIGMAS 'BEGIN { printf "%.0f", v + k * sd }')
	check_between "$1 (truth $3 to $4, sd $5)" "$2" "$_est_low" "$_est_high"
}

run "$WORK/known" "block_rate=1,mutex_fraction=1" known
pprof "$WORK/block.top" "$(latest "$WORK/known" block)" -top -unit=ns -nodecount=50
pprof "$WORK/mutex.top" "$(latest "$WORK/known" mutex)" -top -unit=ns -nodecount=50
for fn in wait_lock wait_rwlock wait_cond wait_sem wait_join; do
	check_bounded "block delay in $fn (ns)" "$(flat_value "$WORK/block.top" $fn)" "$WORK/known.out" $fn
done
for fn in hold_lock hold_rwlock; do
	check_bounded "mutex delay charged to $fn (ns)" "$(flat_value "$WORK/mutex.top" $fn)" \
		"$WORK/known.out" $fn
done
for fn in wait_lock wait_rwlock; do
	if grep -q " $fn\$" "$WORK/mutex.top"; then
		fail "$fn charged in the mutex profile"
	else
		pass "$fn not charged in the mutex profile"
	fi
done

run "$WORK/shared" "block_rate=1,mutex_fraction=1" shared
pprof "$WORK/shared.top" "$(latest "$WORK/shared" block)" -top -unit=ns
check_bounded "block delay in wait_shared_lock (ns)" \
	"$(flat_value "$WORK/shared.top" wait_shared_lock)" "$WORK/shared.out" wait_shared_lock

# An event of d ns shorter than the rate R is kept with probability d/R and
# then counts R: its variance is at most R*d, so that of the total T is at
# most R*T.
run "$WORK/short" "block_rate=${SHORT_RATE_NS}ns" short
true_ns=$(truth "$WORK/short.out" short_waits delay)
pprof "$WORK/short.top" "$(latest "$WORK/short" block)" -top -unit=ns -nodecount=50
check_estimate "up-weighted block delay of short_waits (ns)" \
	"$(flat_value "$WORK/short.top" short_waits)" \
	"$(awk -v t="$true_ns" -v p=$OVERHEAD_PCT 'BEGIN { printf "%.0f", t * (100 - p) / 100 }')" \
	"$true_ns" "$(awk -v t="$true_ns" -v r=$SHORT_RATE_NS 'BEGIN { printf "%.0f", sqrt(r * t) }')"

run "$WORK/frac1" "mutex_fraction=1" fraction
run "$WORK/frac5" "mutex_fraction=5" fraction
for r in frac1 frac5; do
	pprof "$WORK/$r.delay" "$(latest "$WORK/$r" mutex)" -top -unit=ns -nodecount=50
	pprof "$WORK/$r.count" "$(latest "$WORK/$r" mutex)" -top -sample_index=contentions -nodecount=50
done
check_eq "contentions with mutex_fraction=1" "$(flat_value "$WORK/frac1.count" hand_over)" \
	"$(truth "$WORK/frac1.out" hand_over contentions)"
check_bounded "delay with mutex_fraction=1 (ns)" "$(flat_value "$WORK/frac1.delay" hand_over)" \
	"$WORK/frac1.out" hand_over
# One in F events is kept and counts F times: an event of weight w adds
# (F-1)*w^2 to the variance (w = 1 for the count, its delay for the delay).
count5=$(flat_value "$WORK/frac5.count" hand_over)
handoffs=$(truth "$WORK/frac5.out" hand_over contentions)
check_eq "contentions with mutex_fraction=5 are a multiple of 5" "$((count5 % 5))" 0
check_estimate "contentions estimated with mutex_fraction=5" "$count5" "$handoffs" "$handoffs" \
	"$(awk -v n="$handoffs" 'BEGIN { printf "%.0f", sqrt(4 * n) }')"
check_estimate "delay estimated with mutex_fraction=5 (ns)" \
	"$(flat_value "$WORK/frac5.delay" hand_over)" \
	"$(truth "$WORK/frac5.out" hand_over delay 2)" "$(truth "$WORK/frac5.out" hand_over delay 1)" \
	"$(awk -v s="$(truth "$WORK/frac5.out" hand_over sumsq)" 'BEGIN { printf "%.0f", sqrt(4 * s) }')"

run "$WORK/threads" "threadcreate=1" threads
pprof "$WORK/threads.tree" "$(latest "$WORK/threads" threadcreate)" -top -cum -nodecount=50
for fn in spawn_two spawn_three spawn_four; do
	check_eq "threads created under $fn" \
		"$(awk -v fn="$fn" '$6 == fn { print $4 }' "$WORK/threads.tree")" \
		"$(truth "$WORK/threads.out" $fn threads)"
done

run "$WORK/none" "block_rate=1,mutex_fraction=1" none
for k in block mutex; do
	check_eq "no $k file for a run without contention" \
		"$(ls "$WORK/none" | grep -c "\.$k\.")" 0
done
finish
