#!/bin/sh
# e2e_heap_exact.sh — with mem_rate=1 every allocation is sampled, so the
# heap profile of prog_heap_exact must show its exact counts and bytes per
# function, with the right file:line, read through go tool pprof; and
# walked by frame pointers (unwind=fp: the program is built with them), the
# program's functions carry the same flat figures, and main's cumulative
# figure holds them all (what libc allocates inside printf is charged to
# main without the function that called printf: libc has no frame
# pointers, so its caller's frame is skipped).
. "${top_srcdir:-.}/tests/e2e/lib.sh"

out="$WORK/out"
PPROF_AGENT="dir=$WORK/p,mem_rate=1,interval=0" LD_PRELOAD="$AGENT_LIB" \
	"$TESTS_BIN/prog_heap_exact" >"$out"
check_eq "exit status" "$?" 0
prof=$(latest "$WORK/p" heap)
check_eq "one heap file at exit" "$(ls "$WORK/p" | grep -c '\.heap\.0001\.pb\.gz$')" 1

# expect FUNCTION alloc_objects alloc_space inuse_objects inuse_space
expect() {
	i=0
	for idx in alloc_objects alloc_space inuse_objects inuse_space; do
		i=$((i + 1))
		want=$(echo "$2 $3 $4 $5" | cut -d' ' -f$i)
		got=$(flat_value "$WORK/$idx.top" "$1")
		# pprof lists no node for a function whose value is 0
		[ -z "$got" ] && [ "$want" = 0 ] && got=0
		check_eq "$1 $idx" "$got" "$want"
	done
}
for idx in alloc_objects alloc_space inuse_objects inuse_space; do
	pprof "$WORK/$idx.top" "$prof" -top -nodecount=1000 -unit=B -sample_index=$idx
done
expect alloc_small 100 100000 60 60000
expect alloc_calloc 10 3000 0 0
expect alloc_aligned 20 81920 20 81920
expect alloc_realloc 60 150300 30 150000

pprof "$WORK/lines.top" "$prof" -top -lines -nodecount=1000 -sample_index=alloc_objects
for fn in alloc_small alloc_calloc; do
	line=$(awk -v fn="$fn" '$2 == fn { print $3 }' "$out")
	check_grep "$fn at prog_heap_exact.c:$line" " $fn .*prog_heap_exact.c:$line( |\$)" "$WORK/lines.top"
done
# flat FILE — "FUNCTION flat" for the program's own functions
flat() {
	awk '$6 ~ /^(alloc_[a-z]+|main)$/ { print $6, $1 }' "$1" | sort
}
# bytes FILE FUNCTION COLUMN — a value of FILE's line for FUNCTION, in bytes
bytes() {
	awk -v fn="$2" -v c="$3" '$6 == fn { v = $c; sub(/B$/, "", v); print v + 0 }' "$1"
}
PPROF_AGENT="dir=$WORK/fp,mem_rate=1,interval=0,unwind=fp" LD_PRELOAD="$AGENT_LIB" \
	"$TESTS_BIN/prog_heap_exact" >"$WORK/fp.out"
check_eq "unwind=fp: exit status" "$?" 0
pprof "$WORK/dwarf.cum" "$prof" -top -cum -nodecount=1000 -unit=B -sample_index=alloc_space
pprof "$WORK/fp.cum" "$(latest "$WORK/fp" heap)" -top -cum -nodecount=1000 -unit=B \
	-sample_index=alloc_space
check_eq "unwind=fp: the program's functions found" "$(flat "$WORK/fp.cum" | wc -l)" 5
check_eq "unwind=fp: flat figures as with the unwind tables" "$(flat "$WORK/fp.cum")" \
	"$(flat "$WORK/dwarf.cum")"
sum=$(($(bytes "$WORK/fp.cum" alloc_small 1) + $(bytes "$WORK/fp.cum" alloc_calloc 1) + \
	$(bytes "$WORK/fp.cum" alloc_aligned 1) + $(bytes "$WORK/fp.cum" alloc_realloc 1)))
check_between "unwind=fp: main's cum holds every allocation of the program's functions" \
	"$(bytes "$WORK/fp.cum" main 4)" "$sum" "$(bytes "$WORK/dwarf.cum" main 4)"
finish
