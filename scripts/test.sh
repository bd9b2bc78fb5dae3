#!/bin/sh
# scripts/test.sh — the README's test command: sets up and builds (setup.sh),
# runs every unit and end-to-end test (make check), then checks that the
# release tarball builds and passes too (make distcheck, skipped with
# --quick). Ends with one "N passed, N failed" line.
set -u
cd "$(dirname "$0")/.."
sh scripts/setup.sh || { echo "tests: 0 passed, 1 failed (setup)"; exit 1; }
cd build
make -j"$(nproc)" check >check.out 2>&1
rc=$?
grep -E '^(PASS|FAIL|XFAIL|XPASS|ERROR|SKIP):' check.out
for log in $(grep -lE '^(FAIL|ERROR)' tests/*.trs 2>/dev/null); do
	echo "==== ${log%.trs}.log"
	cat "${log%.trs}.log"
done
[ $rc -eq 0 ] || tail -n 30 check.out
pass=$(grep -c '^PASS:' check.out)
fail=$(grep -cE '^(FAIL|ERROR|XPASS):' check.out)
if [ $rc -eq 0 ] && [ "${1:-}" != "--quick" ]; then
	echo "tests: make distcheck"
	if make distcheck >distcheck.out 2>&1; then
		pass=$((pass + 1))
		echo "PASS: make distcheck"
	else
		fail=$((fail + 1))
		tail -n 40 distcheck.out
		echo "FAIL: make distcheck"
	fi
fi
[ "$fail" -eq 0 ] && [ $rc -eq 0 ] || fail=$((fail > 0 ? fail : 1))
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
