#!/bin/sh
# e2e_http_symbolz.sh — pprof's remote symbolization against the endpoint:
# the legacy text form of a profile (?debug=1) carries addresses and the
# memory map but no names, so go tool pprof names its frames itself, from
# the binary on disk, or, where that binary is gone (a profile read from
# another machine, a program deleted after it started), by POSTing the
# addresses to /debug/pprof/symbol as it does for Go servers. Checked with
# the binary deleted (names reach pprof only through the endpoint; without
# remote symbolization there are none), with -symbolize=remote on a program
# still on disk (libc's frames too), and on the block text of a program
# whose waits are known.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "${top_srcdir:-.}/tests/e2e/http_lib.sh"

# top OUT URL ARGS... — go tool pprof -top ARGS URL; fails on a non-zero
# exit or a line on stderr other than where it fetched from and saved to
# and the local symbolizer's complaints about a binary that is not there.
top() {
	_o=$1 _u=$2
	shift 2
	checks=$((checks + 1))
	if ! go tool pprof -top -nodecount=1000 "$@" "$_u" >"$_o" 2>"$_o.err"; then
		fail "go tool pprof $* $_u exited non-zero:"; cat "$_o.err"; return 1
	fi
	if grep -v -e '^Fetching profile over HTTP' -e '^Saved profile in' \
		-e '^Local symbolization failed for prog_gone' -e '^Some binary filenames not available' \
		-e '^Try setting PPROF_BINARY_PATH' "$_o.err" | grep -q .; then
		fail "go tool pprof $* $_u warned:"; cat "$_o.err"; return 1
	fi
	pass "go tool pprof $* $_u"
}

# 1. The program's binary is deleted once it runs.
mkdir -p "$WORK/bin"
cp "$TESTS_BIN/prog_wait" "$WORK/bin/prog_gone"
stop="$WORK/stop"
serve gone "$WORK/bin/prog_gone" 120000 0 "$stop"
rm -f "$WORK/bin/prog_gone"
url="http://$addr/debug/pprof/heap?debug=1"

top "$WORK/gone.top" "$url" -unit=B -sample_index=inuse_space
check_grep "pprof could not read the deleted binary" '^Local symbolization failed for prog_gone' "$WORK/gone.top.err"
check_eq "named through the endpoint: wait_alloc inuse_space" "$(flat_value "$WORK/gone.top" wait_alloc)" 40000
top "$WORK/gone.objs" "$url" -sample_index=inuse_objects
check_eq "named through the endpoint: wait_alloc inuse_objects" "$(flat_value "$WORK/gone.objs" wait_alloc)" 40
top "$WORK/gone.allocs" "$url" -sample_index=alloc_objects
checks=$((checks + 1))
n=$(flat_value "$WORK/gone.allocs" tick)
if [ "${n:-0}" -ge 1 ]; then pass "named through the endpoint: tick allocated $n blocks"; else fail "no tick in the allocations"; cat "$WORK/gone.allocs"; fi
top "$WORK/gone.cum" "$url" -unit=B -sample_index=inuse_space -cum
check_eq "named through the endpoint: main holds all the heap" "$(cum_pct "$WORK/gone.cum" main)" 100

# the control: without remote symbolization there is no name to be had
top "$WORK/none.top" "$url" -symbolize=none
check_eq "-symbolize=none: no wait_alloc" "$(grep -c wait_alloc "$WORK/none.top")" 0
check_grep "-symbolize=none: the program's frames stay addresses" '\[prog_gone\]$' "$WORK/none.top"

touch "$stop"
wait "$pid"
check_eq "prog_gone exit status" "$?" 0

# 2. -symbolize=remote on a program still on disk: pprof never opens a
# binary; libc's frames are named by the endpoint too.
rm -f "$stop"
serve here "$TESTS_BIN/prog_wait" 120000 0 "$stop"
top "$WORK/here.top" "http://$addr/debug/pprof/heap?debug=1" -symbolize=remote -unit=B -sample_index=inuse_space -cum
check_eq "remote only: no line on stderr but fetching and saving" \
	"$(grep -cv -e '^Fetching profile over HTTP' -e '^Saved profile in' "$WORK/here.top.err")" 0
check_eq "remote only: wait_alloc inuse_space" "$(flat_value "$WORK/here.top" wait_alloc)" 40000
check_grep "remote only: libc's __libc_start_main named" ' __libc_start_main$' "$WORK/here.top"
touch "$stop"
wait "$pid"
check_eq "prog_wait exit status" "$?" 0

# 3. The contention texts of a program with scripted waits, symbolized
# remotely: the blocking call and the holder by name.
rm -f "$stop"
HTTP_OPTS="mem_rate=0,block_rate=1,mutex_fraction=1,interval=0" \
	serve locks "$TESTS_BIN/prog_http_rate" locks "$WORK/locks.log" "$stop"
for _ in $(seq 300); do [ "$(wc -l <"$WORK/locks.log" 2>/dev/null || echo 0)" -ge 20 ] && break; sleep 0.1; done
for kind in block mutex; do
	fn=wait_for_lock
	[ "$kind" = mutex ] && fn=hold_lock
	top "$WORK/$kind.top" "http://$addr/debug/pprof/$kind?debug=1" -symbolize=remote -sample_index=contentions
	checks=$((checks + 1))
	n=$(flat_value "$WORK/$kind.top" "$fn")
	if [ "${n:-0}" -ge 1 ]; then pass "$kind text, remote names: $fn $n contentions"; else fail "$kind text: no $fn"; cat "$WORK/$kind.top"; fi
done
touch "$stop"
wait "$pid"
check_eq "prog_http_rate exit status" "$?" 0
finish
