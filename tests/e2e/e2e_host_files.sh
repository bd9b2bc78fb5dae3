#!/bin/sh
# e2e_host_files.sh — the agent's files never take what the program needs:
#  - a temporary file left by a process that died mid-write
#    (".PROGRAM.PID.KIND.SEQ.tmp", PID gone) is removed at start; one of a
#    live process, and files that are not the agent's, are left alone;
#  - a program that fills a small file system of its own (a 1400 KiB
#    tmpfs; tests/programs/host_writer writes 40 records of 32 KiB into it
#    beside the profile directory) writes every record: below min_disk_free
#    (64 MiB by default) the agent writes nothing and says so in one line
#    (it used to fill the disk and the program lost a record); needs root
#    for the mount, skipped otherwise;
#  - a directory whose profiles already take more than max_dir_size gets
#    no more, said in one line.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
WAITP="$TESTS_BIN/prog_wait"

# A dead pid: a process that has been waited for.
dead=$(sh -c 'echo $$')
d="$WORK/stale"
mkdir -p "$d" && chmod 700 "$d"
: >"$d/.prog_wait.$dead.heap.0003.tmp"
: >"$d/.prog_wait.$$.heap.0001.tmp"
: >"$d/notes.txt"
: >"$d/.hidden.$dead.txt"
timeout 60 env PPROF_AGENT="dir=$d,mem_rate=1" LD_PRELOAD="$AGENT_LIB" "$WAITP" 0 3 \
	>"$WORK/stale.out" 2>"$WORK/stale.err"
check_eq "stale temporaries: exit status" "$?" 3
check_eq "stale temporaries: no stderr" "$(cat "$WORK/stale.err")" ""
check_eq "the dead process's temporary is removed" "$(ls -A "$d" | grep -c "^\.prog_wait\.$dead\.")" 0
check_eq "a live process's temporary is kept" "$(ls -A "$d" | grep -c "^\.prog_wait\.$$\.heap\.0001\.tmp\$")" 1
check_eq "other files are kept" "$(ls -A "$d" | grep -c -e '^notes\.txt$' -e "^\.hidden\.$dead\.txt\$")" 2
check_eq "the run's own heap profile is there" "$(ls "$d" | grep -c '^prog_wait\..*\.heap\..*\.pb\.gz$')" 1

small="$WORK/small"
mkdir -p "$small"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=1400k pprof-e2e "$small" 2>/dev/null; then
	timeout 60 env PPROF_AGENT="dir=$small/prof,mem_rate=1,interval=20ms" LD_PRELOAD="$AGENT_LIB" \
		"$TESTS_BIN/host_writer" "$small/data" 40 >"$WORK/small.out" 2>"$WORK/small.err"
	status=$?
	profiles=$(ls "$small/prof" 2>/dev/null | wc -l | tr -d ' ')
	umount "$small"
	check_eq "small disk: exit status" "$status" 0
	check_grep "small disk: the program wrote all its records" "^records written 40 of 40\$" "$WORK/small.out"
	check_eq "small disk: no profile written" "$profiles" 0
	check_eq "small disk: one line from the agent" "$(wc -l <"$WORK/small.err" | tr -d ' ')" 1
	check_grep "small disk: it names min_disk_free" \
		"^pprof-agent: not writing profiles to $small/prof: its file system has [0-9]+ bytes free, less than min_disk_free \\(67108864\\)\$" \
		"$WORK/small.err"
else
	echo "note: cannot mount a tmpfs here (not root, or no permission): the small disk is not tested"
fi

d="$WORK/capped"
mkdir -p "$d" && chmod 700 "$d"
head -c 1048600 /dev/zero >"$d/old.pb.gz"
timeout 60 env PPROF_AGENT="dir=$d,mem_rate=1,interval=20ms,max_dir_size=1MiB" LD_PRELOAD="$AGENT_LIB" \
	"$WAITP" 300 3 >"$WORK/capped.out" 2>"$WORK/capped.err"
check_eq "max_dir_size: exit status" "$?" 3
check_eq "max_dir_size: no profile written" "$(ls "$d" | grep -c '^prog_wait\.')" 0
check_eq "max_dir_size: one line from the agent" "$(wc -l <"$WORK/capped.err" | tr -d ' ')" 1
check_grep "max_dir_size: it names max_dir_size" \
	"^pprof-agent: not writing profiles to $d: the profiles there take 1048600 bytes, more than max_dir_size \\(1048576\\)\$" \
	"$WORK/capped.err"
finish
