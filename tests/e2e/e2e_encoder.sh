#!/bin/sh
# tests/e2e/e2e_encoder.sh — end-to-end test of the encoder: tests/encoder_fixture
# writes three profiles through the encoder API (every field set; sample types
# but no samples; 100k samples), and go tool pprof must read each of them with
# -raw and -top, exit 0, print nothing at all on stderr, and show the sample
# types, values, labels, inline frames, mappings and names that went in.
#
# An automake TESTS entry: exit 0 pass, 1 fail. go (Debian: golang-go) is a
# declared dependency, so a missing go is a failure, not a skip. The build
# tree comes from $top_builddir (set by AM_TESTS_ENVIRONMENT), else ".".
set -u

top_builddir=${top_builddir:-.}
fixture=$top_builddir/tests/unit/encoder_fixture
go=${GO:-/usr/bin/go}
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

if [ ! -x "$go" ]; then
	echo "FAIL: $go not found; go tool pprof is needed (apt-get install golang-go)" >&2
	exit 1
fi
if [ ! -x "$fixture" ]; then
	echo "FAIL: $fixture not built (make tests/unit/encoder_fixture)" >&2
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/e2e_encoder.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
# Keep go and pprof away from the real home and from any binary search path.
HOME=$work/home
export HOME
mkdir -p "$HOME"
unset PPROF_BINARY_PATH PPROF_TOOLS PPROF_TMPDIR

"$fixture" "$work" || { echo "FAIL: encoder_fixture exited $?" >&2; exit 1; }

# pprof PROFILE FLAGS...: runs go tool pprof FLAGS on PROFILE; the output is
# in $work/out. Exit status 0 and an empty stderr are required.
pprof() {
	profile=$1
	shift
	"$go" tool pprof "$@" "$work/$profile" >"$work/out" 2>"$work/err"
	status=$?
	[ "$status" -eq 0 ] || fail "go tool pprof $* $profile exited $status"
	if [ -s "$work/err" ]; then
		fail "go tool pprof $* $profile wrote to stderr:"
		sed 's/^/    /' "$work/err" >&2
	fi
}

# expect REGEX...: each extended regex matches a line of the last output.
expect() {
	for pattern in "$@"; do
		grep -Eq -- "$pattern" "$work/out" || fail "no line matches '$pattern' ($last)"
	done
}

# expect_none REGEX: no line of the last output matches.
expect_none() {
	! grep -Eq -- "$1" "$work/out" || fail "a line matches '$1' ($last)"
}

# -- full.pb.gz: every field ------------------------------------------------
last="full -raw"
pprof full.pb.gz -raw
expect '^PeriodType: space bytes$' '^Period: 524288$' '^Duration: 2\.5s$' \
	'^Time: 2023-11-14 22:13:20 \+0000 UTC$' \
	'^Comment: fixture comment shown$' '^Comment: #fixture comment hidden$' \
	'^alloc_objects/count alloc_space/bytes\[dflt\] inuse_objects/count inuse_space/bytes$' \
	'^ +4242 +4448256 +17 +1048576: 1 2 3 $' \
	'^ +thread:\[fixture-worker-1\]$' '^ +bytes:\[1048\]$' \
	'^ +1111 +555500 +3 +3072: 2 3 $' '^ +request:\[185 bytes\]$' \
	'^ +7 +777 +0 +0: 3 $' \
	'^ +2: 0x555555555456 M=1 fixture_inlined_helper helper\.h:7 s=5$' \
	'^ +fixture_worker\(int\) fixture\.c:25 s=20\(_Z14fixture_workeri\)$' \
	'^ +1: 0x7ffff7c12345 M=2 malloc malloc\.c:0 s=0$' \
	'^1: 0x555555554000/0x555555600000/0x1000 /usr/bin/fixture-app f1e2d3c4b5a69788 \[FN\]\[FL\]\[LN\]\[IN\]$' \
	'^2: 0x7ffff7c00000/0x7ffff7d80000/0x28000 /lib/x86_64-linux-gnu/libc\.so\.6 +\[FN\]\[FL\]\[LN\]$'

last="full -top"
pprof full.pb.gz -top
expect '^File: fixture-app$' '^Build ID: f1e2d3c4b5a69788$' '^fixture comment shown$' \
	'^Type: alloc_space$' 'Total samples = 4887\.24kB' \
	'100% of 4887\.24kB total' \
	'^ +4344kB 88\.88% .* malloc$' \
	' fixture_inlined_helper \(inline\)$' ' fixture_worker\(int\)$' ' fixture_main$'
expect_none 'hidden'
# drop_frames removed the leaf frame and charged its value to the caller.
expect_none 'fixture_dropped_frame'

last="full -top -sample_index=alloc_objects"
pprof full.pb.gz -top -sample_index=alloc_objects
expect '^Type: alloc_objects$' '100% of 5360 total' '^ +4242 79\.14% .* malloc$' \
	'^ +7 +0\.13% .* fixture_main$'

# -- nosamples.pb.gz: types, no samples -------------------------------------
last="nosamples -raw"
pprof nosamples.pb.gz -raw
expect '^PeriodType: contentions count$' '^contentions/count delay/nanoseconds$' \
	'^1: 0x400000/0x401000/0x0 /usr/bin/fixture-idle +\[FN\]\[FL\]\[LN\]$'
expect_none '^ +[0-9]+ +[0-9]+: '

last="nosamples -top"
pprof nosamples.pb.gz -top
expect '^File: fixture-idle$' '^Type: delay$' '^Showing nodes accounting for 0, 0% of 0 total$'

# -- big.pb.gz: 100k samples ------------------------------------------------
last="big -raw"
pprof big.pb.gz -raw
expect '^PeriodType: cpu nanoseconds$' '^Period: 10000000$' '^samples/count cpu/nanoseconds$'
totals=$(awk '/^ +[0-9]+ +[0-9]+: /{n += $1; ns += $2} END{printf "%.0f %.0f", n, ns}' "$work/out")
[ "$totals" = "100000 1000000000000" ] ||
	fail "big -raw: samples and cpu add up to '$totals', not '100000 1000000000000'"

last="big -top"
pprof big.pb.gz -top
expect '^File: fixture-big$' '^Type: cpu$' \
	'^Duration: 1000s, Total samples = 1000s \(  100%\)$' \
	'^Showing nodes accounting for 1000s, 100% of 1000s total$' \
	'^ +0 +0% +100% +1000s +100%  big_root$' ' big_fn_199$'

if [ "$failures" -ne 0 ]; then
	echo "e2e_encoder: $failures check(s) failed" >&2
	exit 1
fi
echo "e2e_encoder: all checks passed"
exit 0
