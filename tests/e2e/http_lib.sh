# tests/e2e/http_lib.sh — helpers of the tests of the HTTP endpoint: run a
# program that serves, fetch a page, read a reply's status and headers,
# read a profile over HTTP with go tool pprof. Sourced after lib.sh.

# serve NAME PROGRAM ARGS... — runs PROGRAM under the agent in the
# background (output in $WORK/NAME.out, .err; options $HTTP_OPTS, else
# mem_rate=1,interval=0) and sets pid, and addr once the address file
# exists.
serve() {
	name=$1
	shift
	PPROF_AGENT="dir=$WORK/$name,${HTTP_OPTS:-mem_rate=1,interval=0},http=127.0.0.1:0" LD_PRELOAD="$AGENT_LIB" \
		"$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
	pid=$!
	addr=""
	for _ in $(seq 600); do
		f=$(ls "$WORK/$name"/*.http 2>/dev/null | head -1)
		[ -n "$f" ] && addr=$(cat "$f") && [ -n "$addr" ] && break
		sleep 0.1
	done
	checks=$((checks + 1))
	if [ -n "$addr" ]; then pass "$name: address file says $addr"; else fail "$name: no address file"; cat "$WORK/$name.err"; fi
}

# get NAME URL-PATH [CURL ARGS...] — the response's headers in NAME.h, body in NAME.b.
get() {
	n=$1 p=$2
	shift 2
	curl -sS -D "$WORK/$n.h" -o "$WORK/$n.b" "$@" "http://$addr$p"
}
status() { sed -n '1s/^HTTP\/1\.[01] \([0-9]*\).*/\1/p' "$WORK/$1.h"; }
header() { awk -v h="$2:" 'tolower($1) == tolower(h) { sub(/^[^:]*: */, ""); sub(/\r$/, ""); print }' "$WORK/$1.h"; }

# pprof_http OUT URL ARGS... — go tool pprof ARGS URL into OUT; fails on a
# non-zero exit or any line on stderr but the two that say where it fetched
# from and saved to.
pprof_http() {
	_o=$1 _u=$2
	shift 2
	checks=$((checks + 1))
	if ! go tool pprof "$@" "$_u" >"$_o" 2>"$_o.err"; then
		fail "go tool pprof $* $_u exited non-zero:"; cat "$_o.err"; return 1
	fi
	if grep -v -e '^Fetching profile over HTTP' -e '^Saved profile in' "$_o.err" | grep -q .; then
		fail "go tool pprof $* $_u warned:"; cat "$_o.err"; return 1
	fi
	pass "go tool pprof $* $_u"
}
