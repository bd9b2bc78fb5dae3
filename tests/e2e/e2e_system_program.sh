#!/bin/sh
# e2e_system_program.sh — unmodified system programs under the launcher:
#  - gcc -c x.c (gcc runs cc1 and as as children: follow_children is on by
#    default): gcc succeeds and writes x.o; cc1 writes a heap profile that
#    go tool pprof reads without warnings, with a nonzero total (and the
#    driver's, when it had a sample, reads too);
#  - python3 (when present) building a list of 200000 strings: its output
#    and status are unchanged and its heap profile reads without warnings
#    with at least the list's 1.6 MB of pointers allocated.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

# total TOPFILE — the "of N total" figure of a -top -unit=B report, in bytes
total() {
	sed -n 's/.* of \([0-9.]*\)B total.*/\1/p' "$1" | head -n 1
}

# check_total WHAT TOPFILE MIN — total >= MIN
check_total() {
	got=$(total "$2")
	checks=$((checks + 1))
	if [ -n "$got" ] && awk -v g="$got" -v m="$3" 'BEGIN { exit !(g >= m) }'; then
		pass "$1: total $got B >= $3"
	else
		fail "$1: total '$got' B, want >= $3"; sed 's/^/    /' "$2" | head -n 12
	fi
}

CC=gcc   # not $CC: the point is that gcc runs cc1 as a child (clang would not)
if command -v "$CC" >/dev/null 2>&1; then
	printf 'int twice(int x) { return 2 * x; }\n' >"$WORK/x.c"
	d="$WORK/gcc"
	(cd "$WORK" && timeout 60 "$LAUNCHER" --dir="$d" --mem-rate=64k -- "$CC" -c x.c -o x.o) \
		>"$d.out" 2>"$d.err"
	check_eq "$CC -c: exit status" "$?" 0
	check_eq "$CC -c: no output" "$(cat "$d.out" "$d.err")" ""
	check_eq "$CC -c: x.o written" "$([ -s "$WORK/x.o" ] && echo yes)" yes
	cc1=$(ls "$d" 2>/dev/null | grep '^cc1\.[0-9]*\.heap\.' | sort | tail -n 1)
	check_eq "$CC -c: a cc1 heap profile" "$([ -n "$cc1" ] && echo yes)" yes
	if [ -n "$cc1" ]; then
		for idx in alloc_space inuse_space; do
			pprof "$WORK/cc1.$idx" "$d/$cc1" -top -unit=B -sample_index=$idx
			check_total "cc1 $idx" "$WORK/cc1.$idx" 1
		done
	fi
	# the driver allocates little: at 64 KiB it may have no sample, and then
	# (like any kind with none) no file at exit; one that is there must read
	gcc_prof=$(ls "$d"/gcc.*.heap.*.pb.gz "$d"/cc.*.heap.*.pb.gz 2>/dev/null | head -n 1)
	[ -z "$gcc_prof" ] || pprof "$WORK/gcc.top" "$gcc_prof" -top
else
	echo "note: no $CC, the compiler part is not run"
fi

# python3 from PATH (its real binary, not a pyenv shim) and Debian's own
pys=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
if [ -x /usr/bin/python3 ] && [ "$(readlink -f /usr/bin/python3)" != "$(readlink -f "${pys:-/}")" ]; then
	pys="$pys /usr/bin/python3"
fi
n=0
for py in $pys; do
	[ -x "$py" ] || continue
	n=$((n + 1))
	d="$WORK/py$n"
	timeout 60 "$LAUNCHER" --dir="$d" --mem-rate=64k -- "$py" -c \
		'x = [str(i) * 3 for i in range(200000)]; print(len(x))' >"$d.out" 2>"$d.err"
	check_eq "$py: exit status" "$?" 0
	check_eq "$py: output" "$(cat "$d.out")" 200000
	check_eq "$py: no stderr" "$(cat "$d.err")" ""
	prof=$(ls "$d"/*.heap.*.pb.gz 2>/dev/null | sort | tail -n 1)
	check_eq "$py: one heap profile" "$(ls "$d" | grep -c '\.heap\.')" 1
	pprof "$d.alloc" "$prof" -top -unit=B -sample_index=alloc_space
	check_total "$py alloc_space" "$d.alloc" 1600000
	timeout 60 "$LAUNCHER" --dir="$d.exit" --mem-rate=64k -- "$py" -c 'import sys; sys.exit(5)'
	check_eq "$py sys.exit(5): exit status" "$?" 5
done
[ $n -gt 0 ] || echo "note: no python3, the python part is not run"
finish
