#!/bin/sh
# e2e_cxx.sh — a C++ program under the agent at mem_rate=1
# (tests/programs/prog_cxx.cc, built here with ${CXX:-g++}: configure checks no C++
# compiler): new/delete, new[]/delete[], std::string, std::vector and
# std::map. The heap profile must read with no warnings, show C++ names
# demangled (no _Z symbols), and count exactly what robust::make_widgets
# (37 x new Widget, 48 B, 10 deleted) and robust::make_arrays (11 x
# new int[25], all delete[]d) allocate; the containers' memory must be all
# freed at exit. The C start-up code's libc frames are named, with no symbol
# version in the name (libc's separate debug file, when installed, lends
# its symbol table, not its DWARF: docs/symbolization.md).
. "${top_srcdir:-.}/tests/e2e/lib.sh"

CXX=${CXX:-g++}
if ! command -v "$CXX" >/dev/null 2>&1; then
	echo "e2e_cxx: skipped, no C++ compiler ($CXX)"
	exit 77
fi
src="$top_srcdir/tests/programs/prog_cxx.cc"
if ! $CXX -O1 -g -fno-omit-frame-pointer -o "$WORK/prog_cxx" "$src" 2>"$WORK/cxx.err"; then
	echo "e2e_cxx: cannot build $src:"; cat "$WORK/cxx.err"
	exit 99
fi

# cum_value TOPFILE FUNCTION — the cum column of FUNCTION (first word of
# its name, e.g. "robust::make_widgets(int)") in a -top report.
cum_value() {
	awk -v fn="$2" '$6 == fn { v = $4; gsub(/[^0-9.]/, "", v); print v; exit }' "$1"
}

timeout 60 env PPROF_AGENT="dir=$WORK/p,mem_rate=1,interval=0" LD_PRELOAD="$AGENT_LIB" \
	"$WORK/prog_cxx" >"$WORK/out" 2>"$WORK/err"
check_eq "exit status" "$?" 0
check_eq "program output" "$(cat "$WORK/out")" "containers 400"
check_eq "no stderr" "$(cat "$WORK/err")" ""
prof=$(latest "$WORK/p" heap)
for idx in alloc_objects alloc_space inuse_objects inuse_space; do
	pprof "$WORK/$idx.top" "$prof" -top -cum -nodecount=1000 -nodefraction=0 -unit=B \
		-sample_index=$idx
done

# new of N known objects: counted under the function that does the new
# (cum: the flat value may sit in operator new itself).
check_eq "make_widgets alloc_objects" "$(cum_value "$WORK/alloc_objects.top" "robust::make_widgets(int)")" 37
check_eq "make_widgets alloc_space" "$(cum_value "$WORK/alloc_space.top" "robust::make_widgets(int)")" 1776
check_eq "make_widgets inuse_objects" "$(cum_value "$WORK/inuse_objects.top" "robust::make_widgets(int)")" 27
check_eq "make_widgets inuse_space" "$(cum_value "$WORK/inuse_space.top" "robust::make_widgets(int)")" 1296
check_eq "make_arrays alloc_objects (new[])" "$(cum_value "$WORK/alloc_objects.top" "robust::make_arrays(int)")" 11
check_eq "make_arrays alloc_space (new[])" "$(cum_value "$WORK/alloc_space.top" "robust::make_arrays(int)")" 1100
got=$(cum_value "$WORK/inuse_objects.top" "robust::make_arrays(int)")
check_eq "make_arrays inuse_objects after delete[]" "${got:-0}" 0
# 200 strings in the vector, 200 map nodes and 200 keys at least
got=$(cum_value "$WORK/alloc_objects.top" "robust::fill_containers()")
checks=$((checks + 1))
if [ "${got:-0}" -ge 600 ] 2>/dev/null; then pass "fill_containers alloc_objects $got >= 600"
else fail "fill_containers alloc_objects '$got', want >= 600"; fi
got=$(cum_value "$WORK/inuse_objects.top" "robust::fill_containers()")
check_eq "fill_containers inuse_objects (containers destroyed)" "${got:-0}" 0

# Names: demangled, operator new visible, no mangled symbol left.
check_grep "operator new named" ' operator new\(unsigned long\)' "$WORK/alloc_objects.top"
check_grep "std::map code named" ' std::_Rb_tree<' "$WORK/alloc_objects.top"
checks=$((checks + 1))
if grep -Eq ' _Z[A-Za-z0-9_]+' "$WORK/alloc_objects.top"; then
	fail "mangled names in the profile:"; grep -E ' _Z[A-Za-z0-9_]+' "$WORK/alloc_objects.top" | head -5
else
	pass "no mangled names"
fi

# file:line of the new expression
line=$(grep -n 'widgets\[i\] = new Widget' "$src" | cut -d: -f1)
pprof "$WORK/lines.top" "$prof" -top -lines -nodecount=1000 -nodefraction=0 -sample_index=alloc_objects
check_grep "new Widget at prog_cxx.cc:$line" "robust::make_widgets\(int\) .*prog_cxx.cc:$line( |\$)" "$WORK/lines.top"

# libc frames: named, no "name@@GLIBC_x" from a static symbol table
pprof "$WORK/traces" "$prof" -traces -sample_index=alloc_objects
check_grep "libc start-up frame named" '^ +__libc_start_main$' "$WORK/traces"
checks=$((checks + 1))
if grep -q '@' "$WORK/traces"; then
	fail "symbol versions in names:"; grep '@' "$WORK/traces" | head -5
else
	pass "no symbol versions in names"
fi
finish
