#!/bin/sh
# e2e_host_lifetime.sh — the agent never keeps a process alive, and a
# program that never starts a thread stays single-threaded
# (tests/programs/host_lifetime.c), each under `timeout`:
#  - main calls pthread_exit while a thread finishes: the process ends when
#    that thread does, status 0, its buffered output flushed (the agent's
#    thread kept it alive for ever);
#  - a thread forks; in the child it starts a helper and ends: the child
#    ends with the helper (it never did);
#  - unshare(CLONE_NEWUSER) in a single-threaded program works under the
#    agent whenever it works without it (it failed with EINVAL: the agent's
#    thread made the process multi-threaded).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
PROG="$TESTS_BIN/host_lifetime"
run() { timeout 30 env PPROF_AGENT="dir=$WORK/out,mem_rate=1" LD_PRELOAD="$AGENT_LIB" "$PROG" "$1"; }

run pthread_exit >"$WORK/exit.out" 2>"$WORK/exit.err"
check_eq "pthread_exit from main: exit status (124: it never ended)" "$?" 0
check_grep "pthread_exit from main: the thread's output was flushed" "^thread done\$" "$WORK/exit.out"
check_eq "pthread_exit from main: no stderr" "$(cat "$WORK/exit.err")" ""
check_eq "pthread_exit from main: its final profile was written" \
	"$(ls "$WORK/out" | grep -c '^host_lifetime\..*\.heap\.')" 1

run fork_from_thread >"$WORK/fork.out" 2>&1
check_eq "fork from a thread that then ends: exit status" "$?" 0
check_grep "fork from a thread that then ends: the child ended" "^child exited 0\$" "$WORK/fork.out"

"$PROG" unshare >"$WORK/alone.out" 2>&1
if grep -q "unshare ok" "$WORK/alone.out"; then
	run unshare >"$WORK/unshare.out" 2>&1
	check_eq "unshare(CLONE_NEWUSER): exit status" "$?" 0
	check_grep "unshare(CLONE_NEWUSER) in a single-threaded program" "^unshare ok\$" "$WORK/unshare.out"
else
	echo "note: unshare(CLONE_NEWUSER) fails here without the agent too ($(cat "$WORK/alone.out")): not tested"
fi
finish
