#!/bin/sh
# e2e_contention.sh — block, mutex and threadcreate profiles of
# prog_contention, read through go tool pprof:
#  - known: each 200 ms wait is charged ≈200 ms (±10%) to the waiting
#    function in the block profile, and each 200 ms hold to the holding
#    function (the unlocker) in the mutex profile;
#  - short: with block_rate (1ms) far above the event durations, the
#    up-weighted total delay matches the program's own measured total
#    within ±12% (about 2% of the events are kept, ~400 of 20000);
#  - fraction: mutex_fraction=5 reports contentions in multiples of 5 and an
#    estimate of the total delay within ±12% of the same run's true figure
#    (3000 handoffs x ~200 us, measured with mutex_fraction=1);
#  - threads: three creating functions with 2, 3 and 4 threads;
#  - none: valid block and mutex profiles with no samples.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
PROG="$TESTS_BIN/prog_contention"

run() { # DIR OPTIONS MODE
	PPROF_AGENT="dir=$1,interval=0,$2" LD_PRELOAD="$AGENT_LIB" "$PROG" "$3" >"$1.out"
	check_eq "prog_contention $3 exit status" "$?" 0
}

run "$WORK/known" "block_rate=1,mutex_fraction=1" known
pprof "$WORK/block.top" "$(latest "$WORK/known" block)" -top -unit=ms -nodecount=50
pprof "$WORK/mutex.top" "$(latest "$WORK/known" mutex)" -top -unit=ms -nodecount=50
for fn in wait_lock wait_rwlock wait_cond wait_sem wait_join; do
	check_within "block delay in $fn (ms)" "$(flat_value "$WORK/block.top" $fn)" 200 10
done
for fn in hold_lock hold_rwlock; do
	check_within "mutex delay charged to $fn (ms)" "$(flat_value "$WORK/mutex.top" $fn)" 200 10
done
if grep -q ' wait_lock$' "$WORK/mutex.top"; then fail "wait_lock charged in the mutex profile"; fi

run "$WORK/short" "block_rate=1ms" short
true_ns=$(awk '$2 == "short_waits" { print $3 }' "$WORK/short.out")
pprof "$WORK/short.top" "$(latest "$WORK/short" block)" -top -unit=ns -nodecount=50
check_within "up-weighted block delay of short_waits (ns)" \
	"$(flat_value "$WORK/short.top" short_waits)" "$true_ns" 12

run "$WORK/frac1" "mutex_fraction=1" fraction
run "$WORK/frac5" "mutex_fraction=5" fraction
for r in frac1 frac5; do
	pprof "$WORK/$r.delay" "$(latest "$WORK/$r" mutex)" -top -unit=ns -nodecount=50
	pprof "$WORK/$r.count" "$(latest "$WORK/$r" mutex)" -top -sample_index=contentions -nodecount=50
done
exact=$(flat_value "$WORK/frac1.delay" hand_over)
count1=$(flat_value "$WORK/frac1.count" hand_over)
count5=$(flat_value "$WORK/frac5.count" hand_over)
check_within "contentions with mutex_fraction=1" "$count1" 3000 5
check_eq "contentions with mutex_fraction=5 are a multiple of 5" "$((count5 % 5))" 0
check_within "contentions estimated with mutex_fraction=5" "$count5" "$count1" 12
check_within "delay estimated with mutex_fraction=5 (ns)" \
	"$(flat_value "$WORK/frac5.delay" hand_over)" "$exact" 12

run "$WORK/threads" "threadcreate=1" threads
pprof "$WORK/threads.tree" "$(latest "$WORK/threads" threadcreate)" -top -cum -nodecount=50
for pair in spawn_two:2 spawn_three:3 spawn_four:4; do
	fn=${pair%%:*}
	check_eq "threads created under $fn" \
		"$(awk -v fn="$fn" '$6 == fn { print $4 }' "$WORK/threads.tree")" "${pair##*:}"
done

run "$WORK/none" "block_rate=1,mutex_fraction=1" none
for k in block mutex; do
	pprof "$WORK/none.$k" "$(latest "$WORK/none" $k)" -top
	check_grep "$k profile of a run without contention is empty" "of 0 total" "$WORK/none.$k"
done
finish
