#!/bin/sh
# e2e_full_disk.sh — profiles to a full filesystem (a 256 KiB tmpfs, with the
# agent's own reserve off: min_disk_free=0; needs
# root or CAP_SYS_ADMIN to mount it, else the test is skipped):
#  - full from the start: tests/programs/prog_wait keeps its stdout and exit status
#    (3), the agent prints exactly one line "pprof-agent: cannot write
#    profiles to DIR: ..." for a dozen failed snapshots, and leaves no file
#    (no partial or temporary one) behind;
#  - full for a while: snapshots succeed, the disk fills up, then space
#    comes back: one line again, snapshots resume, the final one is
#    written, and every file left is complete (reads without warnings),
#    none temporary.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
PROG="$TESTS_BIN/prog_wait"

mnt="$WORK/full"
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=256k tmpfs "$mnt" 2>"$WORK/mount.err"; then
	echo "e2e_full_disk: skipped, cannot mount a tmpfs on $mnt: $(cat "$WORK/mount.err")"
	exit 77
fi
trap 'umount "$mnt" 2>/dev/null; rm -rf "$WORK"' EXIT
# The size leaves room for all the files the agent keeps (16 per kind, each
# taking a 4 KiB page): only fill() makes the filesystem full, never the
# agent's own files once space comes back.

# fill — writes zeros until the filesystem is full
fill() { dd if=/dev/zero of="$mnt/fill" bs=4k >/dev/null 2>&1; }

check_output() {
	check_eq "$1: stdout" "$(sed 's/[0-9][0-9]*/PID/' "$2" | tr '\n' '|')" \
		"prog_wait PID running|prog_wait done|"
}

# Full from the start, interval=100ms over 1.2 s.
fill
check_eq "the filesystem is full" "$(df -P "$mnt" | awk 'NR == 2 { print $4 }')" 0
d="$mnt/p1"
timeout 60 env PPROF_AGENT="dir=$d,interval=100ms,mem_rate=1,min_disk_free=0" LD_PRELOAD="$AGENT_LIB" \
	"$PROG" 1200 3 >"$WORK/p1.out" 2>"$WORK/p1.err"
check_eq "full: exit status" "$?" 3
check_output "full" "$WORK/p1.out"
check_eq "full: stderr lines" "$(wc -l <"$WORK/p1.err" | tr -d ' ')" 1
check_grep "full: the line says why" "^pprof-agent: cannot write profiles to $d: No space left on device\$" "$WORK/p1.err"
check_eq "full: nothing left in the directory" "$(ls -A "$d" 2>/dev/null | wc -l | tr -d ' ')" 0
rm -f "$mnt/fill"

# Full for a while: files before, none during, files again after.
d="$mnt/p2"
timeout 60 env PPROF_AGENT="dir=$d,interval=100ms,mem_rate=1,min_disk_free=0" LD_PRELOAD="$AGENT_LIB" \
	"$PROG" 20000 3 "$WORK/stop" >"$WORK/p2.out" 2>"$WORK/p2.err" &
job=$!
i=0
while [ $i -lt 100 ] && ! ls "$d" 2>/dev/null | grep -q '\.heap\.0002\.pb\.gz$'; do sleep 0.1; i=$((i + 1)); done
fill
sleep 0.8
during=$(ls "$d" | grep -c '\.heap\.')
sleep 0.5
check_eq "filling: no heap file written while full" "$(ls "$d" | grep -c '\.heap\.')" "$during"
rm -f "$mnt/fill"
i=0
while [ $i -lt 100 ] && [ "$(ls "$d" | grep -c '\.heap\.')" -le "$during" ]; do sleep 0.1; i=$((i + 1)); done
check_eq "filling: snapshots resume when space comes back" \
	"$([ "$(ls "$d" | grep -c '\.heap\.')" -gt "$during" ] && echo yes)" yes
touch "$WORK/stop"
wait $job
check_eq "filling: exit status" "$?" 3
check_output "filling" "$WORK/p2.out"
check_eq "filling: stderr lines" "$(wc -l <"$WORK/p2.err" | tr -d ' ')" 1
check_grep "filling: the line says why" "^pprof-agent: cannot write profiles to $d: No space left on device\$" "$WORK/p2.err"
check_eq "filling: only complete .pb.gz files" "$(ls -A "$d" | grep -vc '^prog_wait\.[0-9]*\.[a-z]*\.[0-9]*\.pb\.gz$')" 0
bad=0
for f in "$d"/*.pb.gz; do
	go tool pprof -raw "$f" >/dev/null 2>"$WORK/raw.err" && [ ! -s "$WORK/raw.err" ] || {
		bad=$((bad + 1)); echo "unreadable: $f: $(head -n 2 "$WORK/raw.err")"; }
done
check_eq "filling: every file left reads without warnings" "$bad" 0
pprof "$WORK/final.top" "$(latest "$d" heap)" -top -sample_index=alloc_objects
check_eq "filling: wait_alloc in the final snapshot" "$(flat_value "$WORK/final.top" wait_alloc)" 40
finish
