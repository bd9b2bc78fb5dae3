#!/bin/sh
# tests/e2e/e2e_launcher.sh — end-to-end test of the pprof-agent command alone:
# --help and --version, one-line errors with exit status 2 for bad flags,
# the PPROF_AGENT and LD_PRELOAD it hands to PROGRAM, PROGRAM's own exit
# status, shell-like 127/126 when PROGRAM cannot run, one line for a
# program it cannot profile (static, Go), and where it looks for the
# library. The real agent is never loaded: a do-nothing shared object
# (tests/programs/launcher_fixture.c) stands in for libpprof-agent.so.
set -u

top_builddir=${top_builddir:-.}
launcher=$top_builddir/pprof-agent
fixture_built=$top_builddir/tests/programs/.libs/launcher_fixture.so

if [ ! -x "$launcher" ]; then
	echo "e2e_launcher: no $launcher (build it first)"
	exit 99
fi
if [ ! -f "$fixture_built" ]; then
	echo "e2e_launcher: skipped, no $fixture_built (make tests/programs/launcher_fixture.la)"
	exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/e2e_launcher.XXXXXX") || exit 99
work=$(cd "$work" && pwd -P)
trap 'rm -rf "$work"' EXIT
fixture=$work/fixture.so
other=$work/other.so
cp "$fixture_built" "$fixture" && cp "$fixture_built" "$other" || exit 99
unset PPROF_AGENT LD_PRELOAD
export PPROF_AGENT_LIBRARY="$fixture"

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# run ARGS...: runs the launcher; leaves $status, $work/out and $work/err.
# (With NAME=VALUE before it, a shell function may or may not keep the
# variables, so those cases call "$launcher" directly.)
run() {
	"$launcher" "$@" >"$work/out" 2>"$work/err"
	status=$?
}

expect_status() {
	[ "$status" -eq "$1" ] || fail "$2: exit status $status, want $1 (stderr: $(cat "$work/err"))"
}

expect_out() {
	[ "$(cat "$work/out")" = "$1" ] || fail "$2: stdout '$(cat "$work/out")', want '$1'"
}

expect_no_err() {
	[ ! -s "$work/err" ] || fail "$1: unexpected stderr: $(cat "$work/err")"
}

# expect_error_line STATUS WHAT [EXACT-LINE]: a failure reported in exactly
# one stderr line starting with "pprof-agent: ", nothing on stdout.
expect_error_line() {
	expect_status "$1" "$2"
	[ "$(wc -l <"$work/err")" -eq 1 ] || fail "$2: want one stderr line, got: $(cat "$work/err")"
	case $(cat "$work/err") in
	"pprof-agent: "*) ;;
	*) fail "$2: stderr does not start with 'pprof-agent: ': $(cat "$work/err")" ;;
	esac
	[ $# -lt 3 ] || [ "$(cat "$work/err")" = "$3" ] || fail "$2: stderr '$(cat "$work/err")', want '$3'"
	[ ! -s "$work/out" ] || fail "$2: unexpected stdout: $(cat "$work/out")"
}

# --help and --version
run --help
expect_status 0 "--help"
expect_no_err "--help"
for key in dir interval mem-rate block-rate mutex-fraction cpu-hz threadcreate threads keep depth \
	signal http follow-children verbose max-bucket-mem; do
	grep -q -- "--$key[=[]" "$work/out" || fail "--help does not list --$key"
done
grep -q "(default 512KiB)" "$work/out" || fail "--help does not show the defaults"

run --version
expect_status 0 "--version"
grep -qx "pprof-agent [0-9][0-9.]*" "$work/out" || fail "--version printed '$(cat "$work/out")'"

# Bad flags: one line, status 2, and PROGRAM never runs.
run --mem-rate=12q sh -c "touch '$work/ran'"
expect_error_line 2 "--mem-rate=12q" \
	'pprof-agent: option mem_rate: "12q" is not a size (use bytes or a k/KiB/M/MiB/G/GiB suffix)'
[ ! -e "$work/ran" ] || fail "the program ran after a bad flag"
run --keep 0 true
expect_error_line 2 "--keep 0" 'pprof-agent: option keep: "0" is not a whole number, 1 or more'
run --verbose=yes true
expect_error_line 2 "--verbose=yes" 'pprof-agent: option verbose: "yes" is not 0 or 1'
run --no-such-flag true
expect_error_line 2 "--no-such-flag"
run -x true
expect_error_line 2 "-x"
run --dir=/tmp/a,b true
expect_error_line 2 "a comma in a value"
run --mem-rate
expect_error_line 2 "a flag without its value"
PPROF_AGENT='foo=1' "$launcher" true >"$work/out" 2>"$work/err"
status=$?
expect_error_line 2 "a bad PPROF_AGENT"
PPROF_AGENT_LIBRARY=/nonexistent/libpprof-agent.so "$launcher" true >"$work/out" 2>"$work/err"
status=$?
expect_error_line 2 "a missing library"

# No PROGRAM.
run
expect_error_line 2 "no arguments"
run --mem-rate=1k --
expect_error_line 2 "flags but no program"

# Flags become PPROF_AGENT items after the inherited ones; the library goes
# first in LD_PRELOAD; PROGRAM's exit status is the launcher's.
PPROF_AGENT='verbose=0' LD_PRELOAD="$other" "$launcher" --mem-rate=64k --verbose --block-rate 1us \
	-- sh -c 'echo "$PPROF_AGENT|$LD_PRELOAD"; exit 7' >"$work/out" 2>"$work/err"
status=$?
expect_status 7 "program status"
expect_no_err "program run"
expect_out "verbose=0,mem_rate=64k,verbose=1,block_rate=1us|$fixture:$other" "environment"

run sh -c 'echo "${PPROF_AGENT-unset}|$LD_PRELOAD"'
expect_status 0 "no flags"
expect_out "unset|$fixture" "no flags"

run printf '%s\n' --mem-rate=1 -- x
expect_status 0 "program arguments"
expect_out "--mem-rate=1
--
x" "flags after PROGRAM belong to PROGRAM"

(cd "$work" && PPROF_AGENT_LIBRARY=fixture.so "$launcher" sh -c 'echo "$LD_PRELOAD"') >"$work/out" 2>"$work/err"
expect_out "$fixture" "a relative PPROF_AGENT_LIBRARY is made absolute"

# PROGRAM that cannot run: 127 when missing, 126 when not executable.
run /nonexistent/program
expect_error_line 127 "a missing program" \
	'pprof-agent: cannot run "/nonexistent/program": No such file or directory'
run no-such-command-e2e-launcher
expect_error_line 127 "a command not in PATH"
: >"$work/not-executable"
chmod 644 "$work/not-executable"
run "$work/not-executable"
expect_error_line 126 "a program without execute permission"

# A program the agent cannot be loaded into still runs, with its own
# status, after one line that says why: a statically linked one, and a Go
# program (gofmt; its memory does not come from malloc).
printf 'int main(void) { return 5; }\n' >"$work/static.c"
if ${CC:-cc} -static -o "$work/static" "$work/static.c" 2>/dev/null; then
	run "$work/static"
	expect_status 5 "a static program"
	[ "$(cat "$work/err")" = "pprof-agent: $work/static is statically linked: it loads no library, so the agent cannot be loaded into it and it runs unprofiled" ] ||
		fail "a static program: stderr '$(cat "$work/err")'"
else
	echo "note: no static libc here, the static program is not tested"
fi
gofmt=$(command -v gofmt || echo /usr/lib/go/bin/gofmt)
if [ -x "$gofmt" ]; then
	"$launcher" "$gofmt" </dev/null >"$work/out" 2>"$work/err"
	status=$?
	expect_status 0 "a Go program"
	[ "$(cat "$work/err")" = "pprof-agent: $gofmt is a Go program: its memory does not come from malloc, and nothing of it is profiled (use Go's runtime/pprof)" ] ||
		fail "a Go program: stderr '$(cat "$work/err")'"
else
	echo "note: no gofmt here, the Go program is not tested"
fi
run sh -c 'exit 0'
expect_no_err "a dynamically linked program gets no such line"

# Without PPROF_AGENT_LIBRARY the library is looked for beside the launcher:
# .libs/ in a build tree, ../lib/ in an installation, by its soname.
mkdir -p "$work/build/.libs" "$work/prefix/bin" "$work/prefix/lib"
cp "$launcher" "$work/build/pprof-agent" && cp "$launcher" "$work/prefix/bin/pprof-agent" || exit 99
cp "$fixture" "$work/build/.libs/libpprof-agent.so.0" && cp "$fixture" "$work/prefix/lib/libpprof-agent.so.0" || exit 99
out=$(env -u PPROF_AGENT_LIBRARY "$work/build/pprof-agent" sh -c 'echo "$LD_PRELOAD"')
[ "$out" = "$work/build/.libs/libpprof-agent.so.0" ] || fail "build-tree library: LD_PRELOAD '$out'"
out=$(env -u PPROF_AGENT_LIBRARY "$work/prefix/bin/pprof-agent" sh -c 'echo "$LD_PRELOAD"')
[ "$out" = "$work/prefix/lib/libpprof-agent.so.0" ] || fail "installed library: LD_PRELOAD '$out'"

if [ "$failures" -ne 0 ]; then
	echo "e2e_launcher: $failures failure(s)"
	exit 1
fi
echo "e2e_launcher: all passed"
