#!/bin/sh
# e2e_endings.sh — programs ended by SIGTERM or SIGINT (tests/programs/
# prog_endings.c) end as they would without the agent (the same status: by
# the same signal), and, where they left the signal at its default action,
# with their final profile written: asleep or computing in one thread (the
# handler writes it) and with threads (the agent's thread writes it). A
# program with its own handler gets the signal as without the agent; a
# program that asks sigaction sees the default action, as Python does
# before installing its KeyboardInterrupt handler.
#
# Abrupt endings (src/runtime/abrupt_endings.c), each with the status and
# the core dump (signal, si_code, function of the pc, read by gdb) it has
# without the agent:
#  - _exit and _Exit from the program's own flow write the final profile,
#    and so does _exit in a SIGTERM handler that interrupted nanosleep;
#    _exit in a handler that interrupted the C library (raise) says in one
#    line that none was written;
#  - abort, SIGSEGV, SIGBUS, SIGILL, SIGFPE (a fault, in the main thread or
#    another, or a SIGSEGV sent by kill) say so in one line, naming the last
#    profile written when there is one;
#  - a program with its own SIGSEGV handler, or that ignores SIGABRT, gets
#    no line; one that installs a SIGTERM handler behind the hooks
#    (sysv_signal) sees it through sigaction.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
PROG=$(cd "$TESTS_BIN" && pwd)/prog_endings
AGENT_LIB=$(cd "$(dirname "$AGENT_LIB")" && pwd)/$(basename "$AGENT_LIB")
cd "$WORK" || exit 99   # core dumps land in $WORK, never in the build tree

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
		# Its _exit(3), in a handler that interrupted nanosleep, writes
		# the final profile.
		check_eq "$name: a final heap profile" "$([ -n "$(latest "$WORK/$name" heap)" ] && echo yes)" yes
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
	"SIGINT default SIGTERM default SIGSEGV default SIGABRT default"
ended behind TERM behind "$AGENT_LIB"
check_eq "a handler installed behind the hooks: sigaction shows it" \
	"$(head -1 "$WORK/behind.out")" "SIGTERM other"
check_eq "a handler installed behind the hooks: it ran" "$(grep -c 'own handler' "$WORK/behind.out")" 1

# Cores are compared where the kernel writes them into the working
# directory; gdb reads the signal, its si_code and the function of the pc.
cores=no
if [ "$(cat /proc/sys/kernel/core_pattern)" = core ] && (ulimit -c unlimited) 2>/dev/null &&
	command -v gdb >/dev/null; then
	cores=yes
else
	echo "note: core dumps not compared (core_pattern '$(cat /proc/sys/kernel/core_pattern)', or no gdb)"
fi

# core_of DIR — the signal, si_code and function of the pc in DIR's core
# dump, or "none".
core_of() {
	_core=$(ls "$1"/core* 2>/dev/null | head -n 1)
	if [ -z "$_core" ]; then echo none; return; fi
	gdb -batch -nx -ex 'p $_siginfo.si_signo' -ex 'p $_siginfo.si_code' -ex 'info symbol $pc' \
		"$PROG" "$_core" 2>/dev/null | sed -n 's/^\$[0-9]* = //p; s/ in section.*//p' | tr '\n' ' '
}

# alone NAME MODE ARG [PRELOAD [OPTIONS]] — runs MODE (which ends by itself)
# in $WORK/NAME.d, killed after 60 s if it hangs; sets $status. (Not under
# timeout(1), which has its own say about core dumps.)
alone() {
	mkdir -p "$WORK/$1.d"
	if [ -n "${4-}" ]; then
		(cd "$WORK/$1.d" && { [ $cores = no ] || ulimit -c unlimited; } &&
			exec env PPROF_AGENT="dir=$WORK/$1,interval=0,mem_rate=1${5-}" \
			LD_PRELOAD="$4" "$PROG" "$2" "$3" >"$WORK/$1.out" 2>"$WORK/$1.err") &
	else
		(cd "$WORK/$1.d" && { [ $cores = no ] || ulimit -c unlimited; } &&
			exec "$PROG" "$2" "$3" >"$WORK/$1.out" 2>"$WORK/$1.err") &
	fi
	pid=$!
	( sleep 60; kill -KILL $pid 2>/dev/null ) &
	watchdog=$!
	wait $pid
	status=$?
	kill $watchdog 2>/dev/null
	wait $watchdog 2>/dev/null
}

# same_ending NAME MODE ARG [OPTIONS] — MODE run without and with the
# agent: the same status and core; leaves the agent's run as NAME.
same_ending() {
	alone "$1.none" "$2" "$3"
	want=$status
	alone "$1" "$2" "$3" "$AGENT_LIB" "${4-}"
	check_eq "$1: exit status as without the agent" "$status" "$want"
	[ $cores = yes ] && check_eq "$1: core dump as without the agent" "$(core_of "$WORK/$1.d")" \
		"$(core_of "$WORK/$1.none.d")"
}

# The final profile, written at _exit and _Exit.
for run in "_exit 3" "_Exit 4"; do
	set -- $run
	same_ending "$1" "$1" "$2"
	check_eq "$1: no stderr" "$(cat "$WORK/$1.err")" ""
	prof=$(latest "$WORK/$1" heap)
	check_eq "$1: a final heap profile" "$([ -n "$prof" ] && echo yes)" yes
	[ -n "$prof" ] || continue
	pprof "$WORK/$1.top" "$prof" -top -unit=B -sample_index=inuse_space
	check_eq "$1: ending_alloc's 5000 B in use" "$(flat_value "$WORK/$1.top" ending_alloc)" 5000
done

# one_line NAME HOW — NAME's stderr is the one line for HOW, before any
# profile was written.
one_line() {
	check_eq "$1: one line" "$(sed 's/\[[0-9]*\]/[PID]/' "$WORK/$1.err")" \
		"pprof-agent: prog_endings[PID] ended by $2: no profile was written"
}

same_ending handler_exit _exit_in_handler 0
one_line handler_exit "_exit(6)"
for run in "abort SIGABRT" "segv SIGSEGV" "bus SIGBUS" "ill SIGILL" "fpe SIGFPE" \
	"segv_thread SIGSEGV"; do
	set -- $run
	same_ending "$1" "$1" 0
	one_line "$1" "$2"
done

same_ending segv_later segv_later 0 ",interval=50ms"
last=$(sed -n 's/^pprof-agent: prog_endings\[[0-9]*\] ended by SIGSEGV: no final profile was written; the last one is //p' \
	"$WORK/segv_later.err")
check_eq "segv_later: the line names the last profile written" \
	"$([ -n "$last" ] && [ -f "$last" ] && echo yes)" yes

ended kill_segv.none SEGV sleep
want=$status
ended kill_segv SEGV sleep "$AGENT_LIB"
check_eq "kill -SEGV: exit status as without the agent" "$status" "$want"
one_line kill_segv SIGSEGV

for mode in own_segv ignored_abrt; do
	same_ending "$mode" "$mode" 0
	check_eq "$mode: no stderr" "$(cat "$WORK/$mode.err")" ""
done
check_eq "own_segv: the program's handler ran" "$(cat "$WORK/own_segv.out")" "own handler"

# Python installs its KeyboardInterrupt handler only over the default
# action: with the agent, Ctrl-C still raises KeyboardInterrupt.
py=/usr/bin/python3.11
[ -x "$py" ] || py=$(command -v python3)
script='import signal, sys
print(signal.getsignal(signal.SIGINT) is signal.default_int_handler,
      signal.getsignal(signal.SIGTERM) == signal.SIG_DFL)
try:
    signal.raise_signal(signal.SIGINT)
except KeyboardInterrupt:
    print("KeyboardInterrupt")'
check_eq "python: handlers and KeyboardInterrupt as without the agent" \
	"$(PPROF_AGENT="dir=$WORK/py,interval=0" LD_PRELOAD="$AGENT_LIB" "$py" -c "$script" 2>&1)" \
	"$("$py" -c "$script" 2>&1)"
finish
