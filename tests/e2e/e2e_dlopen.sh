#!/bin/sh
# e2e_dlopen.sh — symbols of unloaded libraries (tests/programs/prog_dlopen.c,
# tests/programs/prog_dlopen_lib.c built here as shared objects): at mem_rate=1 a
# library function allocates and the program keeps the memory, dlcloses
# the library (its code is unmapped), and exits; the heap profile written
# at exit must still name the library function with its exact count and
# file:line, and list the library's mapping.
# Second case: a library opened by a relative path, unloaded, still named.
# (A library loaded where an unloaded one was: e2e_dlopen_reuse.sh.)
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/dlopen_lib.sh"

# One library, unloaded before the exit snapshot.
d="$WORK/one"
timeout 60 env PPROF_AGENT="dir=$d,mem_rate=1,interval=0" LD_PRELOAD="$AGENT_LIB" \
	"$PROG" "$WORK/libdso.so" dso_alloc 12 >"$d.out" 2>"$d.err"
check_eq "one library: exit status" "$?" 0
check_eq "one library: no stderr" "$(cat "$d.err")" ""
check_grep "one library: the library was unloaded" '^dso_alloc at .* unloaded yes$' "$d.out"
prof=$(latest "$d" heap)
pprof "$WORK/one.top" "$prof" -top -nodecount=1000 -nodefraction=0 -sample_index=alloc_objects
check_eq "one library: dso_alloc alloc_objects" "$(flat_value "$WORK/one.top" dso_alloc)" 12
check_eq "one library: after_dlclose alloc_objects" "$(flat_value "$WORK/one.top" after_dlclose)" 4
pprof "$WORK/one.inuse" "$prof" -top -nodecount=1000 -nodefraction=0 -sample_index=inuse_space
check_eq "one library: dso_alloc inuse_space" "$(flat_value "$WORK/one.inuse" dso_alloc)" $((12 * 777))
pprof "$WORK/one.lines" "$prof" -top -lines -nodecount=1000 -nodefraction=0 -sample_index=alloc_objects
check_grep "one library: dso_alloc at prog_dlopen_lib.c:$line" " dso_alloc .*prog_dlopen_lib.c:$line( |\$)" "$WORK/one.lines"
pprof "$WORK/one.raw" "$prof" -raw
check_mapping "one library: libdso.so mapping listed" libdso.so "$WORK/one.raw"

# A library opened by a relative path ("./libdso.so"), unloaded before the
# exit snapshot, must be named too.
d="$WORK/rel"
(cd "$WORK" && timeout 60 env PPROF_AGENT="dir=$d,mem_rate=1,interval=0" LD_PRELOAD="$AGENT_LIB" \
	"$PROG" ./libdso.so dso_alloc 12 >"$d.out" 2>"$d.err")
check_eq "relative path: exit status" "$?" 0
check_grep "relative path: the library was unloaded" '^dso_alloc at .* unloaded yes$' "$d.out"
pprof "$WORK/rel.top" "$(latest "$d" heap)" -top -nodecount=1000 -nodefraction=0 -sample_index=alloc_objects
check_eq "relative path: dso_alloc alloc_objects" "$(flat_value "$WORK/rel.top" dso_alloc)" 12
finish
