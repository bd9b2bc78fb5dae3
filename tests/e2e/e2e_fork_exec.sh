#!/bin/sh
# e2e_fork_exec.sh — fork and exec under the agent (tests/programs/prog_fork.c,
# tests/programs/prog_wait.c), every run under `timeout` so a hang is a failure:
#  (a) fork: three threads allocate and free without pause while main
#      forks five children one after another (with interval=0, and with
#      interval=20ms so snapshots run during the forks); parent and children
#      exit normally; every pid writes its own files; each child's heap
#      profile shows child_only (7 x 2000 B) and not the parent's later
#      parent_after; the parent's shows parent_before and parent_after and
#      not child_only;
#  (b) exec: with follow_children=1 an exec'd program (same pid) or a
#      fork+exec'd one writes its own files; with follow_children=0 it
#      writes none (the parent of a fork+exec still does), also when the
#      program is started by bash, which builds its children's
#      environment itself;
#  (c) the launcher writes files and returns the program's exit status,
#      following children unless --follow-children=0.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
FORK="$TESTS_BIN/prog_fork"
WAITP="$TESTS_BIN/prog_wait"

# value TOPFILE FUNCTION — cum value (the mallocs are in keep_n), 0 when
# pprof lists no node
value() {
	awk -v fn="$2" '$6 == fn { v = $4; gsub(/[^0-9.]/, "", v); print v; exit }' "$1" | grep . ||
		echo 0
}

# heap_top DIR PROG PID NAME — -top of the latest heap file of PROG.PID
heap_top() {
	f=$(ls "$1/$2.$3".heap.*.pb.gz 2>/dev/null | sort | tail -n 1)
	pprof "$WORK/$4.top" "${f:-$1/$2.$3.heap.missing}" -top -cum -nodecount=1000 -nodefraction=0 \
		-sample_index=alloc_objects
}

# (a) fork from a multi-threaded program
for interval in 0 20ms; do
	d="$WORK/fork$interval"
	timeout 60 env PPROF_AGENT="dir=$d,interval=$interval,mem_rate=1" LD_PRELOAD="$AGENT_LIB" \
		"$FORK" fork 5 >"$d.out" 2>"$d.err"
	check_eq "fork (interval=$interval): exit status" "$?" 0
	check_eq "fork (interval=$interval): no stderr" "$(cat "$d.err")" ""
	check_eq "fork (interval=$interval): children reported" "$(grep -c '^child [0-9]*$' "$d.out")" 5
	parent=$(awk '$1 == "parent" { print $2 }' "$d.out")
	heap_top "$d" prog_fork "${parent:-none}" parent
	check_eq "fork (interval=$interval): parent_before in parent" "$(value "$WORK/parent.top" parent_before)" 10
	check_eq "fork (interval=$interval): parent_after in parent" "$(value "$WORK/parent.top" parent_after)" 5
	check_eq "fork (interval=$interval): child_only not in parent" "$(value "$WORK/parent.top" child_only)" 0
	for child in $(awk '$1 == "child" { print $2 }' "$d.out"); do
		check_eq "fork (interval=$interval): child $child wrote threadcreate" \
			"$(ls "$d/prog_fork.$child".threadcreate.*.pb.gz >/dev/null 2>&1 && echo yes)" yes
		heap_top "$d" prog_fork "$child" child
		check_eq "fork (interval=$interval): child_only in child $child" "$(value "$WORK/child.top" child_only)" 7
		check_eq "fork (interval=$interval): parent_after not in child $child" "$(value "$WORK/child.top" parent_after)" 0
	done
done

# (b) exec, directly (same pid) and after fork
for follow in 1 0; do
	d="$WORK/exec$follow"
	timeout 60 env PPROF_AGENT="dir=$d,interval=0,mem_rate=1,follow_children=$follow" \
		LD_PRELOAD="$AGENT_LIB" "$FORK" exec "$WAITP" 0 4 >"$d.out" 2>"$d.err"
	check_eq "exec follow_children=$follow: exit status" "$?" 4
	check_eq "exec follow_children=$follow: no stderr" "$(cat "$d.err")" ""
	check_grep "exec follow_children=$follow: the exec'd program ran" '^prog_wait done$' "$d.out"
	pid=$(awk '$1 == "pid" { print $2 }' "$d.out")
	n=$(ls "$d" 2>/dev/null | grep -c "^prog_wait\.$pid\.heap\.")
	if [ $follow = 1 ]; then
		check_eq "exec follow_children=1: prog_wait.$pid heap files" "$n" 1
		heap_top "$d" prog_wait "$pid" exec
		check_eq "exec follow_children=1: wait_alloc in the exec'd program" "$(value "$WORK/exec.top" wait_alloc)" 40
	else
		check_eq "exec follow_children=0: no prog_wait files" "$(ls "$d" 2>/dev/null | grep -c '^prog_wait\.')" 0
	fi

	d="$WORK/spawn$follow"
	timeout 60 env PPROF_AGENT="dir=$d,interval=0,mem_rate=1,follow_children=$follow" \
		LD_PRELOAD="$AGENT_LIB" "$FORK" spawn "$WAITP" 0 5 >"$d.out" 2>"$d.err"
	check_eq "fork+exec follow_children=$follow: exit status" "$?" 5
	check_eq "fork+exec follow_children=$follow: no stderr" "$(cat "$d.err")" ""
	pid=$(awk '$1 == "pid" { print $2 }' "$d.out")
	heap_top "$d" prog_fork "$pid" spawnparent
	check_eq "fork+exec follow_children=$follow: before_exec in the parent" \
		"$(value "$WORK/spawnparent.top" before_exec)" 3
	n=$(ls "$d" 2>/dev/null | grep -c '^prog_wait\..*\.heap\.')
	if [ $follow = 1 ]; then
		check_eq "fork+exec follow_children=1: prog_wait heap files" "$n" 1
		child=$(awk '$1 == "prog_wait" && $3 == "running" { print $2 }' "$d.out")
		heap_top "$d" prog_wait "$child" spawnchild
		check_eq "fork+exec follow_children=1: wait_alloc in the child" "$(value "$WORK/spawnchild.top" wait_alloc)" 40
	else
		check_eq "fork+exec follow_children=0: no prog_wait files" "$n" 0
	fi
done

# bash passes on an environment of its own making, not the process's
# environ: follow_children=0 still keeps the agent out of what it runs
# (the exec hooks take the agent out of the LD_PRELOAD given to execve).
d="$WORK/bash"
timeout 60 env PPROF_AGENT="dir=$d,interval=0,mem_rate=1,follow_children=0" LD_PRELOAD="$AGENT_LIB" \
	bash -c '"$0" 0 6; status=$?; echo "LD_PRELOAD=${LD_PRELOAD-}"; exit $status' "$WAITP" \
	>"$d.out" 2>"$d.err"
check_eq "bash, follow_children=0: exit status" "$?" 6
check_grep "bash, follow_children=0: the program ran" '^prog_wait done$' "$d.out"
check_eq "bash, follow_children=0: no prog_wait files" "$(ls "$d" 2>/dev/null | grep -c '^prog_wait\.')" 0

# a relative dir: a program run in another working directory writes where
# its parent does (the agent passes the directory on, made absolute), and
# no directory of that name appears where it runs
mkdir -p "$WORK/rel/sub"
bin=$(cd "$TESTS_BIN" && pwd)
lib=$(cd "$(dirname "$AGENT_LIB")" && pwd)/$(basename "$AGENT_LIB")
(cd "$WORK/rel" && timeout 60 env PPROF_AGENT="dir=prof,interval=0,mem_rate=1" \
	LD_PRELOAD="$lib" "$bin/prog_fork" spawn /bin/sh -c 'cd sub && exec "$0" 0 8' \
	"$bin/prog_wait" \
	>"$WORK/rel.out" 2>"$WORK/rel.err")
check_eq "relative dir: exit status" "$?" 8
check_eq "relative dir: no stderr" "$(cat "$WORK/rel.err")" ""
check_eq "relative dir: the child's heap file is in the parent's dir" \
	"$(ls "$WORK/rel/prof" 2>/dev/null | grep -c '^prog_wait\..*\.heap\.')" 1
check_eq "relative dir: nothing made in the child's working directory" \
	"$(ls -A "$WORK/rel/sub")" ""

# a system program exec'd: status kept, files under its own name (not
# /bin/sh: dash leaves with _exit, so no exit snapshot)
d="$WORK/false"
timeout 60 env PPROF_AGENT="dir=$d,interval=0,mem_rate=1" LD_PRELOAD="$AGENT_LIB" \
	"$FORK" exec /bin/false >"$d.out" 2>"$d.err"
check_eq "exec /bin/false: exit status" "$?" 1
pid=$(awk '$1 == "pid" { print $2 }' "$d.out")
# false allocates nothing: no kind has a sample, so no file at all
check_eq "exec /bin/false: no false.$pid file" "$(ls "$d" 2>/dev/null | grep -c "^false\.$pid\.")" 0
d="$WORK/ls"
timeout 60 env PPROF_AGENT="dir=$d,interval=0,mem_rate=1" LD_PRELOAD="$AGENT_LIB" \
	"$FORK" exec /bin/ls / >"$d.out" 2>"$d.err"
check_eq "exec /bin/ls: exit status" "$?" 0
pid=$(awk '$1 == "pid" { print $2 }' "$d.out")
check_eq "exec /bin/ls: ls.$pid heap file" \
	"$(ls "$d" 2>/dev/null | grep -c "^ls\.$pid\.heap\.0001\.pb\.gz$")" 1
pprof "$WORK/ls.top" "$(latest "$d" heap)" -top

# (c) the launcher
d="$WORK/launch"
timeout 60 "$LAUNCHER" --dir="$d" --mem-rate=1 --interval=0 -- "$WAITP" 0 3 >"$d.out" 2>"$d.err"
check_eq "launcher: exit status" "$?" 3
check_eq "launcher: no stderr" "$(cat "$d.err")" ""
pid=$(awk '$1 == "prog_wait" && $3 == "running" { print $2 }' "$d.out")
heap_top "$d" prog_wait "$pid" launch
check_eq "launcher: wait_alloc" "$(value "$WORK/launch.top" wait_alloc)" 40
for follow in 1 0; do
	d="$WORK/launch$follow"
	timeout 60 "$LAUNCHER" --dir="$d" --mem-rate=1 --follow-children=$follow -- \
		"$FORK" spawn "$WAITP" 0 5 >"$d.out" 2>"$d.err"
	check_eq "launcher --follow-children=$follow: exit status" "$?" 5
	check_eq "launcher --follow-children=$follow: prog_fork heap files" \
		"$(ls "$d" 2>/dev/null | grep -c '^prog_fork\..*\.heap\.')" 1
	check_eq "launcher --follow-children=$follow: prog_wait heap files" \
		"$(ls "$d" 2>/dev/null | grep -c '^prog_wait\..*\.heap\.')" $follow
done
finish
