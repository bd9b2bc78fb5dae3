#!/bin/sh
# scripts/test.sh — the README's test command, which CI runs through
# .ci/run: sets up and builds (setup.sh), runs every unit and end-to-end
# test (make check) and prints each test's result once, as the test
# harness recorded it, with the whole log of every failure and the reason
# for every skip; compares a quick subset of Python's regression tests
# with and without the agent (python-regressions.sh --quick); then checks
# that the release tarball builds and passes too (make distcheck). --quick
# skips the last two. Ends with one line
# "tests: N passed, N failed" and a nonzero status on any failure.
#
# Usage: sh scripts/test.sh [--quick]
# STRESS=1 runs all of it beside two busy loops, to show that the tests
# hold on a loaded machine.
set -u
cd "$(dirname "$0")/.."

quick=0
case "${1:-}" in
--quick) quick=1 ;;
"") ;;
*) echo "usage: sh scripts/test.sh [--quick]" >&2; exit 2 ;;
esac

passed=0
failed=0
failed_logs=""
busy_pids=""

stop_busy() {
	[ -z "$busy_pids" ] || kill $busy_pids 2>/dev/null
	busy_pids=""
}

# Two loops at normal priority, stopped however this script ends.
start_busy() {
	trap stop_busy EXIT
	trap 'stop_busy; exit 130' INT
	trap 'stop_busy; exit 143' TERM
	for _ in 1 2; do
		sh -c 'while :; do :; done' </dev/null >/dev/null 2>&1 &
		busy_pids="$busy_pids $!"
	done
	echo "tests: STRESS=1: two busy loops run beside the suite (pids$busy_pids)"
}

# The log file of every test in make's TESTS list, in its order.
test_logs() {
	printf 'print-test-logs:\n\t@echo $(TEST_LOGS)\n' | make -s -f Makefile -f - print-test-logs
}

# The result of a test from the :test-result: lines of its .trs: the
# worst, if there are several; ERROR if the test left none.
test_result() { # TRS
	[ -f "$1" ] || { echo ERROR; return; }
	awk 'BEGIN { rank["SKIP"] = 1; rank["XFAIL"] = 2; rank["PASS"] = 3
	             rank["XPASS"] = 4; rank["FAIL"] = 5; rank["ERROR"] = 6 }
	     $1 == ":test-result:" && rank[$2] > rank[worst] { worst = $2 }
	     END { print worst == "" ? "ERROR" : worst }' "$1"
}

# Why a test skipped: the last non-empty line of its log, before the line
# the harness adds ("SKIP NAME (exit status: 77)").
skip_reason() { # LOG NAME
	awk -v trailer="SKIP $2 (exit status:" \
		'NF && index($0, trailer) != 1 { last = $0 } END { print last }' "$1"
}

show_log() { # LOG RESULT
	echo "==================== $1 ($2) ===================="
	if [ -f "$1" ]; then cat "$1"; else echo "(no log: the test did not run)"; fi
	echo "==================== end of $1 ===================="
}

# One line per test, then the logs of the failures.
report_tests() {
	logs=$(test_logs)
	if [ -z "$logs" ]; then
		echo "ERROR: no tests listed by make (TEST_LOGS is empty)"
		failed=$((failed + 1))
		return
	fi
	for log in $logs; do
		name=${log%.log}
		result=$(test_result "$name.trs")
		case $result in
		PASS | XFAIL) echo "$result: $name"; passed=$((passed + 1)) ;;
		SKIP) echo "SKIP: $name (why: $(skip_reason "$log" "$name"))" ;;
		*) echo "$result: $name"; failed=$((failed + 1)); failed_logs="$failed_logs $log:$result" ;;
		esac
	done
	for entry in $failed_logs; do
		show_log "${entry%:*}" "${entry##*:}"
	done
}

run_python_regressions() {
	if [ "$quick" -eq 1 ]; then
		echo "tests: Python regression comparison skipped: --quick given"
		return
	fi
	echo "tests: Python's regression tests without and with the agent (output in build/python-regressions.out)"
	sh ../scripts/python-regressions.sh --quick >python-regressions.out 2>&1
	case $? in
	0) passed=$((passed + 1)); echo "PASS: scripts/python-regressions.sh --quick" ;;
	77) echo "SKIP: scripts/python-regressions.sh --quick (why: $(tail -n 1 python-regressions.out))" ;;
	*)
		failed=$((failed + 1))
		echo "FAIL: scripts/python-regressions.sh --quick:"
		cat python-regressions.out
		;;
	esac
}

run_distcheck() { # CHECK_OK
	if [ "$quick" -eq 1 ]; then
		echo "tests: make distcheck skipped: --quick given"
		return
	fi
	if [ "$1" -eq 0 ]; then
		echo "tests: make distcheck skipped: make check failed"
		return
	fi
	echo "tests: make distcheck (output in build/distcheck.out)"
	if make distcheck >distcheck.out 2>&1; then
		passed=$((passed + 1))
		echo "PASS: make distcheck"
	else
		failed=$((failed + 1))
		echo "FAIL: make distcheck; the end of build/distcheck.out:"
		tail -n 40 distcheck.out
	fi
}

[ "${STRESS:-0}" = 1 ] && start_busy

if ! sh scripts/setup.sh; then
	echo "FAIL: sh scripts/setup.sh (its output is above)"
	echo "tests: 0 passed, 1 failed (setup)"
	exit 1
fi

cd build
echo "tests: make check (output in build/check.out)"
make -j"$(nproc)" check >check.out 2>&1
check_rc=$?
report_tests
if [ "$check_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "FAIL: make check exited $check_rc with no failed test; the end of build/check.out:"
	tail -n 30 check.out
	failed=1
fi
check_ok=0
[ "$check_rc" -eq 0 ] && [ "$failed" -eq 0 ] && check_ok=1
run_python_regressions
run_distcheck "$check_ok"

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
