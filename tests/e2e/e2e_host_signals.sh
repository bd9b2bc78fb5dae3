#!/bin/sh
# e2e_host_signals.sh — the agent never takes a signal meant for the
# program (tests/programs/host_signals.c; each program has a thread of its
# own, so the agent has one too):
#  - SIGTERM blocked everywhere and taken with sigwait by one thread: the
#    program shuts down cleanly, status 0 (an agent thread that did not
#    block signals took it and the process died, status 143);
#  - SIGCHLD read from a signalfd: all 20 children's exits arrive (an agent
#    thread took some of them, and a poll loop then waited for ever);
#  - a program that installs its own handler for the snapshot signal
#    keeps it (its handler runs), and the agent says once that snapshots on
#    signal are off;
#  - so does a library whose constructor installed an SA_SIGINFO handler
#    before the agent's ran (the agent installed its own over it, silently).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
PROG="$TESTS_BIN/host_signals"
run() { timeout 60 env PPROF_AGENT="dir=$WORK/out,$1" LD_PRELOAD="$AGENT_LIB" "$PROG" $2; }

# Started as a simple command so that $! is the program's own pid (with
# timeout in between, timeout passes the signal on).
timeout 60 env PPROF_AGENT="dir=$WORK/out" LD_PRELOAD="$AGENT_LIB" "$PROG" sigwait \
	>"$WORK/sigwait.out" 2>"$WORK/sigwait.err" &
job=$!
i=0
while [ $i -lt 100 ] && ! grep -q ready "$WORK/sigwait.out"; do sleep 0.1; i=$((i + 1)); done
kill -TERM $job
wait $job
check_eq "sigwait: exit status" "$?" 0
check_grep "sigwait: the program shut down cleanly" "^clean shutdown\$" "$WORK/sigwait.out"

run "" "signalfd 20" >"$WORK/signalfd.out" 2>&1
check_eq "signalfd: exit status" "$?" 0
check_grep "signalfd: every child's SIGCHLD arrived" "^children 20 reaped 20\$" "$WORK/signalfd.out"

run "signal=SIGUSR2,interval=50ms" own_usr2 >"$WORK/usr2.out" 2>"$WORK/usr2.err"
check_eq "own SIGUSR2 handler: exit status" "$?" 0
check_grep "own SIGUSR2 handler: the program's handler ran" "^usr2 handled 1\$" "$WORK/usr2.out"
check_eq "own SIGUSR2 handler: one line from the agent" "$(wc -l <"$WORK/usr2.err" | tr -d ' ')" 1
check_grep "own SIGUSR2 handler: it says snapshots on signal are off" \
	"^pprof-agent: the program replaced the handler of USR2: snapshots on signal are off\$" \
	"$WORK/usr2.err"
cc -shared -fPIC -o "$WORK/libusr2.so" "$top_srcdir/tests/programs/usr2_handler_lib.c" || exit 99
timeout 60 env PPROF_AGENT="dir=$WORK/out,signal=SIGUSR2" LD_PRELOAD="$AGENT_LIB $WORK/libusr2.so" \
	"$PROG" raise_usr2 >"$WORK/lib.out" 2>"$WORK/lib.err"
check_eq "library's SA_SIGINFO handler: exit status" "$?" 0
check_eq "library's SA_SIGINFO handler: it ran" "$(cat "$WORK/lib.out")" "library handler
raised"
check_eq "library's SA_SIGINFO handler: the agent says snapshots on signal are off" \
	"$(cat "$WORK/lib.err")" \
	"pprof-agent: option signal: the program handles USR2 itself; snapshots on signal are off"
finish
