#!/bin/sh
# e2e_endings.sh — programs ended by SIGTERM or SIGINT (tests/programs/
# prog_endings.c) end as they would without the agent (the same status: by
# the same signal), and, where they left the signal at its default action,
# with their final profile written: asleep or computing in one thread (the
# handler writes it) and with threads (the agent's thread writes it). A
# program with its own handler gets the signal as without the agent; a
# program that asks sigaction sees the default action, as Python does
# before installing its KeyboardInterrupt handler.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
PROG="$TESTS_BIN/prog_endings"

# ended NAME SIGNAL MODE [PRELOAD] — runs MODE, ends it with SIGNAL once
# ready; sets $status and leaves output in $WORK/NAME.out and .err. (A
# shell starts background jobs with SIGINT ignored: env puts it back.)
ended() {
	if [ -n "${4-}" ]; then
		env --default-signal=INT PPROF_AGENT="dir=$WORK/$1,interval=0,mem_rate=1" \
			LD_PRELOAD="$4" "$PROG" "$3" >"$WORK/$1.out" 2>"$WORK/$1.err" &
	else
		env --default-signal=INT "$PROG" "$3" >"$WORK/$1.out" 2>"$WORK/$1.err" &
	fi
	pid=$!
	( sleep 60; kill -KILL $pid 2>/dev/null ) &
	watchdog=$!
	i=0
	while [ $i -lt 300 ] && ! grep -q ready "$WORK/$1.out" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.2
	kill -"$2" $pid
	wait $pid
	status=$?
	kill $watchdog 2>/dev/null
	wait $watchdog 2>/dev/null
}

for run in "TERM sleep" "INT sleep" "TERM spin" "TERM threads" "INT threads" "TERM handler"; do
	set -- $run
	name="$2.$1"
	ended "$name.none" "$1" "$2"
	want=$status
	ended "$name" "$1" "$2" "$AGENT_LIB"
	check_eq "$name: exit status as without the agent" "$status" "$want"
	check_eq "$name: no stderr" "$(cat "$WORK/$name.err")" ""
	if [ "$2" = handler ]; then
		check_eq "$name: the program's handler ran" "$(grep -c 'own handler' "$WORK/$name.out")" 1
		continue
	fi
	prof=$(latest "$WORK/$name" heap)
	check_eq "$name: a final heap profile" "$([ -n "$prof" ] && echo yes)" yes
	[ -n "$prof" ] || continue
	pprof "$WORK/$name.top" "$prof" -top -unit=B -sample_index=inuse_space
	check_eq "$name: ending_alloc's 5000 B in use" "$(flat_value "$WORK/$name.top" ending_alloc)" 5000
done

ended query TERM query "$AGENT_LIB"
check_eq "query: exit status" "$status" 143
check_eq "sigaction shows the default actions" "$(head -1 "$WORK/query.out")" \
	"SIGINT default SIGTERM default"

# Python installs its KeyboardInterrupt handler only over the default
# action: with the agent, Ctrl-C still raises KeyboardInterrupt.
py=/usr/bin/python3.11
[ -x "$py" ] || py=$(command -v python3)
lib=$(cd "$(dirname "$AGENT_LIB")" && pwd)/$(basename "$AGENT_LIB")
script='import signal, sys
print(signal.getsignal(signal.SIGINT) is signal.default_int_handler,
      signal.getsignal(signal.SIGTERM) == signal.SIG_DFL)
try:
    signal.raise_signal(signal.SIGINT)
except KeyboardInterrupt:
    print("KeyboardInterrupt")'
check_eq "python: handlers and KeyboardInterrupt as without the agent" \
	"$(PPROF_AGENT="dir=$WORK/py,interval=0" LD_PRELOAD="$lib" "$py" -c "$script" 2>&1)" \
	"$("$py" -c "$script" 2>&1)"
finish
