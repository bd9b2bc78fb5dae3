# tests/e2e/lib.sh — shared helpers for the end-to-end test scripts: where the
# build is, how to run a program under the agent, how to read a profile with
# go tool pprof (failing on any warning), and assertions that print what
# they compared. Sourced, not run.
set -u
top_builddir=${top_builddir:-$(pwd)}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# PPROF_TEST_AGENT_LIB runs a test against another build of the agent (to see
# a test fail on the build before a fix, say).
AGENT_LIB=${PPROF_TEST_AGENT_LIB:-"$top_builddir/.libs/libpprof-agent.so"}
LAUNCHER="$top_builddir/pprof-agent"
TESTS_BIN="$top_builddir/tests/programs"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pprof-e2e.XXXXXX")
export HOME="$WORK/home"   # go tool pprof keeps state under $HOME/pprof
mkdir -p "$HOME"
trap 'rm -rf "$WORK"' EXIT
failures=0
checks=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# check_eq WHAT GOT WANT
check_eq() {
	checks=$((checks + 1))
	if [ "$2" = "$3" ]; then pass "$1 = $3"; else fail "$1: got '$2', want '$3'"; fi
}

# check_within WHAT GOT WANT PERCENT — |got - want| <= want * percent / 100
check_within() {
	checks=$((checks + 1))
	if awk -v g="$2" -v w="$3" -v p="$4" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= w * p / 100) }'; then
		pass "$1 = $2 (true $3, within $4%)"
	else
		fail "$1 = $2, true $3: outside $4%"
	fi
}

# check_between WHAT GOT LOW HIGH — LOW <= got <= HIGH
check_between() {
	checks=$((checks + 1))
	if awk -v g="$2" -v l="$3" -v h="$4" 'BEGIN { exit !(g >= l && g <= h) }'; then
		pass "$1 = $2 (between $3 and $4)"
	else
		fail "$1 = $2, not between $3 and $4"
	fi
}

# check_grep WHAT PATTERN FILE
check_grep() {
	checks=$((checks + 1))
	if grep -Eq -- "$2" "$3"; then pass "$1"; else fail "$1: /$2/ not in $3:"; sed 's/^/    /' "$3" | head -40; fi
}

# pprof OUT PROFILE ARGS... — runs go tool pprof ARGS PROFILE into OUT and
# fails the test if it exits non-zero or prints anything on stderr.
pprof() {
	_pp_out=$1 _pp_profile=$2
	shift 2
	checks=$((checks + 1))
	if [ ! -f "$_pp_profile" ]; then
		fail "no profile file '$_pp_profile' to read"; return 1
	fi
	if ! go tool pprof "$@" "$_pp_profile" >"$_pp_out" 2>"$_pp_out.err"; then
		fail "go tool pprof $* $_pp_profile exited non-zero:"; cat "$_pp_out.err"; return 1
	fi
	if [ -s "$_pp_out.err" ]; then
		fail "go tool pprof $* $_pp_profile warned:"; cat "$_pp_out.err"; return 1
	fi
	return 0
}

# flat_value TOPFILE FUNCTION — the flat column of FUNCTION in a -top
# report printed with -unit=... so values are plain numbers.
flat_value() {
	awk -v fn="$2" '$6 == fn { v = $1; gsub(/[^0-9.]/, "", v); print v; exit }' "$1"
}

# total_ms TOPFILE — the "Total samples = N" of a -top report printed with
# -unit=ms, as a plain number.
total_ms() {
	awk '/Total samples =/ { for (i = 1; i <= NF; i++) if ($i == "=") { v = $(i + 1); sub(/ms/, "", v); print v; exit } }' "$1"
}

# cum_pct TOPFILE FUNCTION — the cum% column of FUNCTION in a -top report.
cum_pct() {
	awk -v fn="$2" '$6 == fn { v = $5; gsub(/[^0-9.]/, "", v); print v; exit }' "$1"
}

# latest DIR KIND — the newest profile of KIND in DIR.
latest() {
	ls "$1"/*."$2".*.pb.gz 2>/dev/null | sort | tail -n 1
}

finish() {
	echo "$checks checks, $failures failed"
	[ "$failures" -eq 0 ]
	exit $?
}
