#!/bin/sh
# e2e_http_abuse.sh — the endpoint under abuse (http_abuse.py) while the
# host does known work (prog_http_work): 50 clients for 10 s, idle and
# byte-a-second clients, headers and a body over the limits, 2000
# malformed requests, clients that leave mid-request and mid-window.
# The host finishes its work with the right sum and its own exit status,
# its resident memory stays within a generous bound, the server answers
# throughout and afterwards, and the cpu profile a client left is not
# left running. The host's slowdown under the 50 clients is printed, not
# checked.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "${top_srcdir:-.}/tests/e2e/http_lib.sh"

PY=/usr/bin/python3.11
ABUSE="${top_srcdir:-.}/tests/e2e/http_abuse.py"
ROUNDS=600000
stop="$WORK/stop"
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
field() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }   # field FILE KEY
word() { awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' "$1"; }

# the work alone, for the slowdown and the right sum
HTTP_OPTS="interval=0" serve alone "$TESTS_BIN/prog_http_work" "$ROUNDS" "$stop"
for _ in $(seq 600); do grep -q '^sum' "$WORK/alone.out" && break; sleep 0.1; done
touch "$stop"
wait "$pid"
check_eq "the work alone: exit status" "$?" 3
rm -f "$stop"

# the same work with 50 clients
HTTP_OPTS="interval=0" serve busy "$TESTS_BIN/prog_http_work" "$ROUNDS" "$stop"
host=$pid
rss_before=$(rss "$host")
$PY "$ABUSE" clients "$addr" 10 50 >"$WORK/clients.txt"
check_eq "the work under 50 clients: the same sum" "$(word "$WORK/busy.out" sum)" "$(word "$WORK/alone.out" sum)"
check_between "requests answered under 50 clients" "$(field "$WORK/clients.txt" ok_replies)" 50 100000000
check_eq "no status but 200 and 404 under 50 clients" "$(field "$WORK/clients.txt" other_statuses)" 0
echo "measured: the work took $(word "$WORK/alone.out" ms) ms alone and $(word "$WORK/busy.out" ms) ms" \
	"under 50 clients ($(field "$WORK/clients.txt" requests) requests in 10 s)"

$PY "$ABUSE" slow "$addr" >"$WORK/slow.txt"
check_eq "answered while 10 slow clients hang on" "$(field "$WORK/slow.txt" answered_during_slow_clients)" 200
$PY "$ABUSE" oversize "$addr" >"$WORK/big.txt"
check_between "headers over 64 KiB: refused (4xx) or cut" "$(field "$WORK/big.txt" oversized_headers_status)" 0 499
check_eq "a body over 1 MiB: 413" "$(field "$WORK/big.txt" oversized_body_status)" 413
$PY "$ABUSE" fuzz "$addr" 2000 1 >"$WORK/fuzz.txt"
check_eq "2000 malformed requests sent" "$(field "$WORK/fuzz.txt" fuzz_sent)" 2000
$PY "$ABUSE" disconnect "$addr" >"$WORK/gone.txt"
check_eq "a cpu profile after its client left: served again" \
	"$(field "$WORK/gone.txt" profile_after_a_client_left)" 200

get after /debug/pprof/
check_eq "the index answers after all of it" "$(status after)" 200
pprof_http "$WORK/after.top" "http://$addr/debug/pprof/heap" -top
rss_after=$(rss "$host")
echo "measured: the host's VmRSS was $rss_before KiB before and $rss_after KiB after"
check_between "the host's VmRSS grew by less than 64 MiB (KiB)" "$((rss_after - rss_before))" -1000000 65536
touch "$stop"
wait "$host"
check_eq "the host's exit status" "$?" 3
check_eq "the host said nothing on stderr" "$(cat "$WORK/busy.err")" ""

finish
