#!/bin/sh
# e2e_options.sh — bad options never change the host program: with a bad
# PPROF_AGENT (unknown key, malformed size/duration/signal/count, an item
# without '=', an unusable dir, a value with a newline and an escape
# sequence, which are shown escaped) the agent prints exactly one stderr line
# starting "pprof-agent:" that names the key, writes no files, and
# tests/programs/prog_wait (prints two lines, exits 3) keeps its stdout and exit
# status. Also: the launcher with an unusable --dir (the launcher's own
# bad-flag errors are tested by e2e_launcher.sh), and an output directory
# removed while the program runs (at most one line, not one per snapshot).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
PROG="$TESTS_BIN/prog_wait"

# check_output WHAT OUTFILE — prog_wait's two lines, pid masked.
check_output() {
	check_eq "$1: stdout" "$(sed 's/[0-9][0-9]*/PID/' "$2" | tr '\n' '|')" \
		"prog_wait PID running|prog_wait done|"
}

# check_one_line WHAT ERRFILE PATTERN — exactly one stderr line, starting
# "pprof-agent: " and matching PATTERN (extended regex).
check_one_line() {
	check_eq "$1: stderr lines" "$(wc -l <"$2" | tr -d ' ')" 1
	check_grep "$1: stderr starts with 'pprof-agent: ' and matches /$3/" "^pprof-agent: .*$3" "$2"
}

n=0
# bad NAME SPEC PATTERN
bad() {
	n=$((n + 1))
	o="$WORK/bad$n"
	timeout 30 env PPROF_AGENT="$2" LD_PRELOAD="$AGENT_LIB" "$PROG" 0 3 >"$o.out" 2>"$o.err"
	check_eq "$1: exit status" "$?" 3
	check_output "$1" "$o.out"
	check_one_line "$1" "$o.err" "$3"
}

mkdir -p "$WORK/bad"
: >"$WORK/afile"
bad "http not loopback" "dir=$WORK/bad,http=0.0.0.0:6060" 'http: 0\.0\.0\.0:6060 is not a loopback address.*http_any=1'
bad "http not an address" "dir=$WORK/bad,http=example.com:80" 'http: "example\.com:80" is not an address'
bad "http bad port" "dir=$WORK/bad,http=127.0.0.1:70000" 'http: "127\.0\.0\.1:70000" is not an address'
bad "unknown key" "dir=$WORK/bad,mem_rate=1,foo=1" '"foo"'
bad "bad size" "dir=$WORK/bad,mem_rate=12q" 'mem_rate.*"12q"'
bad "bad duration" "dir=$WORK/bad,interval=5parsecs" 'interval.*"5parsecs"'
bad "bad signal" "dir=$WORK/bad,signal=SIGNOPE" 'signal.*"SIGNOPE"'
bad "bad count" "dir=$WORK/bad,keep=0" 'keep.*"0"'
bad "bad 0/1" "dir=$WORK/bad,follow_children=2" 'follow_children.*"2"'
bad "item without =" "dir=$WORK/bad,mem_rate" '"mem_rate"'
bad "unusable dir /proc/nope" "dir=/proc/nope,mem_rate=1" 'dir.*/proc/nope'
bad "dir is a file" "dir=$WORK/afile,mem_rate=1" "dir.*$WORK/afile"
bad "control characters escaped" "$(printf 'dir=%s,mem_rate=1\n2\033[31m' "$WORK/bad")" \
	'mem_rate: "1\\n2\\x1b\[31m" is not a size'
check_eq "no files written with bad options" "$(ls -A "$WORK/bad" | wc -l | tr -d ' ')" 0

# The launcher passes the options on; the agent reports the unusable dir
# and the program still runs with its own status.
timeout 30 "$LAUNCHER" --dir=/proc/nope --mem-rate=1 -- "$PROG" 0 3 >"$WORK/l.out" 2>"$WORK/l.err"
check_eq "launcher --dir=/proc/nope: exit status" "$?" 3
check_output "launcher --dir=/proc/nope" "$WORK/l.out"
check_one_line "launcher --dir=/proc/nope" "$WORK/l.err" 'dir.*/proc/nope'

# The directory disappears while the program runs with interval=100ms:
# about ten snapshots fail, reported once.
d="$WORK/gone"
timeout 30 env PPROF_AGENT="dir=$d,interval=100ms,mem_rate=1" LD_PRELOAD="$AGENT_LIB" \
	"$PROG" 10000 3 "$WORK/stop" >"$WORK/gone.out" 2>"$WORK/gone.err" &
pid=$!
i=0
while [ $i -lt 100 ] && [ -z "$(ls "$d" 2>/dev/null)" ]; do sleep 0.1; i=$((i + 1)); done
check_eq "a periodic snapshot was written" "$([ -n "$(ls "$d" 2>/dev/null)" ] && echo yes)" yes
rm -rf "$d"
sleep 1.2
touch "$WORK/stop"
wait $pid
check_eq "removed dir: exit status" "$?" 3
check_output "removed dir" "$WORK/gone.out"
check_one_line "removed dir" "$WORK/gone.err" "cannot write profiles to $d"
finish
