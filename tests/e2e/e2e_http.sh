#!/bin/sh
# e2e_http.sh — http=127.0.0.1:0 serves Go's /debug/pprof/ from the agent:
# the bound address is written to DIR/PROGRAM.PID.http; go tool pprof reads
# the heap of prog_wait over HTTP with its exact figures at mem_rate=1 (and
# the server's own allocations are not among them); the index, cmdline and
# symbol pages, a 404 and 400s with one-line bodies, Go's headers; the
# launcher refuses a non-loopback address; a forked child holds no socket.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "${top_srcdir:-.}/tests/e2e/http_lib.sh"

stop="$WORK/stop"
serve w "$TESTS_BIN/prog_wait" 120000 0 "$stop"
case "$addr" in 127.0.0.1:[1-9]*) pass "an ephemeral loopback port" ;; *) fail "address '$addr'" ;; esac

# the real client, with the exact figures of prog_wait's wait_alloc
pprof_http "$WORK/raw" "http://$addr/debug/pprof/heap" -raw
pprof_http "$WORK/heap.top" "http://$addr/debug/pprof/heap" -top -nodecount=1000 -unit=B -sample_index=inuse_space
check_eq "wait_alloc inuse_space" "$(flat_value "$WORK/heap.top" wait_alloc)" 40000
pprof_http "$WORK/objs.top" "http://$addr/debug/pprof/heap" -top -nodecount=1000 -sample_index=inuse_objects
check_eq "wait_alloc inuse_objects" "$(flat_value "$WORK/objs.top" wait_alloc)" 40
check_eq "no function of the server in the heap" \
	"$(cat "$WORK/heap.top" "$WORK/raw" | grep -ci -e MHD_ -e microhttpd -e http_)" "0"
for kind in allocs block mutex threadcreate; do
	get "$kind" "/debug/pprof/$kind"
	check_eq "$kind: status" "$(status "$kind")" 200
	check_eq "$kind: Content-Type" "$(header "$kind" Content-Type)" "application/octet-stream"
	check_eq "$kind: Content-Disposition" "$(header "$kind" Content-Disposition)" "attachment; filename=\"$kind\""
	check_eq "$kind: gzip" "$(head -c2 "$WORK/$kind.b" | od -An -tx1 | tr -d ' ')" 1f8b
done
pprof_http "$WORK/allocs.top" "http://$addr/debug/pprof/allocs" -top -nodecount=1000 -unit=B
check_eq "allocs shows alloc_space: wait_alloc" "$(flat_value "$WORK/allocs.top" wait_alloc)" 40000

get index /debug/pprof/
check_eq "index: status" "$(status index)" 200
check_eq "index: Content-Type" "$(header index Content-Type)" "text/html; charset=utf-8"
for kind in heap allocs block mutex threadcreate cmdline symbol; do
	check_grep "index links $kind" "<a href='$kind'>$kind</a>" "$WORK/index.b"
done
check_grep "index counts heap's samples" "<tr><td>[1-9][0-9]*</td><td><a href='heap'>" "$WORK/index.b"

get nope /debug/pprof/nope
check_eq "unknown profile: status" "$(status nope)" 404
check_eq "unknown profile: body" "$(cat "$WORK/nope.b")" "Unknown profile"
get other /elsewhere
check_eq "unknown path: status" "$(status other)" 404
check_eq "unknown path: one line" "$(wc -l <"$WORK/other.b" | tr -d ' ')" 1
get badsec "/debug/pprof/heap?seconds=abc"
check_eq "seconds=abc: status" "$(status badsec)" 400
check_eq "seconds=abc: one line" "$(wc -l <"$WORK/badsec.b" | tr -d ' ')" 1
check_grep "seconds=abc: says seconds" '"seconds"' "$WORK/badsec.b"
get baddebug "/debug/pprof/heap?debug=x"
check_eq "debug=x: status" "$(status baddebug)" 400

get cmdline /debug/pprof/cmdline
check_eq "cmdline: Content-Type" "$(header cmdline Content-Type)" "text/plain; charset=utf-8"
check_eq "cmdline: the arguments joined by NUL" "$(tr '\0' ' ' <"$WORK/cmdline.b")" \
	"$TESTS_BIN/prog_wait 120000 0 $stop"

# symbol: GET answers that symbols are served; POST names the address of main
get symget /debug/pprof/symbol
check_eq "symbol GET" "$(cat "$WORK/symget.b")" "num_symbols: 1"
main_pc=$(awk '$4 == "main" { print $2; exit }' "$WORK/raw")
case "$main_pc" in 0x[0-9a-f]*) pass "main's address in the raw profile: $main_pc" ;; *) fail "no address of main in the raw profile" ;; esac
get sympost /debug/pprof/symbol --data-binary "$main_pc+0x1+zzz"
check_eq "symbol POST: status" "$(status sympost)" 200
check_eq "symbol POST: main's address named" "$(cat "$WORK/sympost.b" | tr '\n' '|')" \
	"num_symbols: 1|$main_pc main|"

touch "$stop"
wait "$pid"
check_eq "prog_wait exit status" "$?" 0
check_eq "prog_wait said nothing on stderr" "$(cat "$WORK/w.err")" ""

# a forked child holds no socket of the parent's (the parent does)
rm -f "$stop"
serve f "$TESTS_BIN/prog_http_fork" "$WORK/fork" "$stop"
touch "$WORK/fork"
for _ in $(seq 300); do grep -q '^parent' "$WORK/f.out" && break; sleep 0.1; done
child=$(awk '$1 == "child" { print $2 }' "$WORK/f.out")
parent=$(awk '$1 == "parent" { print $2 }' "$WORK/f.out")
sockets() { ls -l "/proc/$1/fd" 2>/dev/null | grep -c 'socket:'; }
check_eq "the parent holds the listening socket" "$(sockets "$parent")" 1
check_eq "the forked child holds no socket" "$(sockets "$child")" 0
get forked /debug/pprof/cmdline
check_eq "the parent still serves after the fork" "$(status forked)" 200
touch "$stop"
wait "$pid"
check_eq "prog_http_fork exit status" "$?" 0

# the launcher refuses a non-loopback address before running anything
"$LAUNCHER" --http=0.0.0.0:6060 -- true >"$WORK/l.out" 2>"$WORK/l.err"
check_eq "launcher --http=0.0.0.0:6060: exit status" "$?" 2
check_eq "launcher: one line" "$(wc -l <"$WORK/l.err" | tr -d ' ')" 1
check_grep "launcher: names http_any" '^pprof-agent: option http: 0\.0\.0\.0:6060 is not a loopback address.*http_any=1' "$WORK/l.err"

finish
