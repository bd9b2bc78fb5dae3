#!/bin/sh
# e2e_cxx.sh — a C++ program under the agent at mem_rate=1
# (tests/programs/prog_cxx.cc, built here with ${CXX:-g++} -O2: configure
# checks no C++ compiler): new/delete, new[]/delete[], std::string,
# std::vector, std::map, two lambdas and a std::thread. The heap profile must
# read with no warnings and count exactly what robust::make_widgets
# (37 x new Widget, 48 B, 10 deleted), robust::make_arrays (11 x new int[25],
# all delete[]d), the two lambdas (2 x 160 B, 2 x 320 B) and the thread's
# vector (1000 ints: 8188 B in all) allocate; the containers' memory must be
# all freed at exit. Names read as pprof shows C++ (short, qualified, the
# same as pprof's own demangling of the mangled system names), a lambda's
# inlined frames included, so the two lambdas are two functions; the
# allocator's frames are dropped, so flat cost is on the code that called
# new; _start, which has no debug information, has no file:line (-O2 puts
# main's end just before it, and libdw lent it main's last line). The C
# start-up code's libc frames are named, with no symbol version in the name
# (libc's separate debug file, when installed, lends its symbol table, not
# its DWARF: docs/symbolization.md).
# Then exceptions under the cpu profile's signal (prog_cxx_throw.cc): three
# threads throw and catch 40000 exceptions each at mem_rate=1 while
# SIGPROF samples at 1000 Hz (cpu_timer=signal): every exception is caught,
# nothing on stderr, the heap and cpu profiles read without warning and
# the cpu profile has the throwing in it.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

CXX=${CXX:-g++}
if ! command -v "$CXX" >/dev/null 2>&1; then
	echo "e2e_cxx: skipped, no C++ compiler ($CXX)"
	exit 77
fi
for prog in prog_cxx_throw prog_cxx; do
	src="$top_srcdir/tests/programs/$prog.cc"   # prog_cxx.cc's stays, for its lines
	if ! $CXX -O2 -g -fno-omit-frame-pointer -pthread -o "$WORK/$prog" "$src" 2>"$WORK/cxx.err"; then
		echo "e2e_cxx: cannot build $src:"; cat "$WORK/cxx.err"
		exit 99
	fi
done

# NAME_AWK: sets name to a -top line's function name (what follows the five
# columns flat, flat%, sum%, cum, cum%).
NAME_AWK='{ name = $0; for (i = 1; i <= 5; i++) sub(/^ *[^ ]+/, "", name); sub(/^ +/, "", name) }'

# column TOPFILE N FUNCTION — column N (1 flat, 4 cum) of FUNCTION (its
# whole name, e.g. "robust::make_widgets") in a -top report.
column() {
	awk -v n="$2" -v fn="$3" "$NAME_AWK"'
		name == fn || name == fn " (inline)" { v = $n; gsub(/[^0-9.]/, "", v); print v; exit }' "$1"
}
cum_value() { column "$1" 4 "$2"; }
flat_of() { column "$1" 1 "$2"; }

timeout 60 env PPROF_AGENT="dir=$WORK/p,mem_rate=1,interval=0" LD_PRELOAD="$AGENT_LIB" \
	"$WORK/prog_cxx" >"$WORK/out" 2>"$WORK/err"
check_eq "exit status" "$?" 0
check_eq "program output" "$(cat "$WORK/out")" "containers 400
box 1000"
check_eq "no stderr" "$(cat "$WORK/err")" ""
prof=$(latest "$WORK/p" heap)
for idx in alloc_objects alloc_space inuse_objects inuse_space; do
	pprof "$WORK/$idx.top" "$prof" -top -cum -nodecount=1000 -nodefraction=0 -unit=B \
		-sample_index=$idx
done

# new of N known objects: counted under the function that does the new,
# in its flat column (operator new is dropped) as in its cum column.
check_eq "make_widgets alloc_objects" "$(cum_value "$WORK/alloc_objects.top" robust::make_widgets)" 37
check_eq "make_widgets alloc_space" "$(cum_value "$WORK/alloc_space.top" robust::make_widgets)" 1776
check_eq "make_widgets flat alloc_space" "$(flat_of "$WORK/alloc_space.top" robust::make_widgets)" 1776
check_eq "make_widgets inuse_objects" "$(cum_value "$WORK/inuse_objects.top" robust::make_widgets)" 27
check_eq "make_widgets inuse_space" "$(cum_value "$WORK/inuse_space.top" robust::make_widgets)" 1296
check_eq "make_arrays alloc_objects (new[])" "$(cum_value "$WORK/alloc_objects.top" robust::make_arrays)" 11
check_eq "make_arrays alloc_space (new[])" "$(cum_value "$WORK/alloc_space.top" robust::make_arrays)" 1100
check_eq "make_arrays flat alloc_space (new[])" "$(flat_of "$WORK/alloc_space.top" robust::make_arrays)" 1100
got=$(cum_value "$WORK/inuse_objects.top" robust::make_arrays)
check_eq "make_arrays inuse_objects after delete[]" "${got:-0}" 0
# 200 strings in the vector, 200 map nodes and 200 keys at least
got=$(cum_value "$WORK/alloc_objects.top" robust::fill_containers)
checks=$((checks + 1))
if [ "${got:-0}" -ge 600 ] 2>/dev/null; then pass "fill_containers alloc_objects $got >= 600"
else fail "fill_containers alloc_objects '$got', want >= 600"; fi
got=$(cum_value "$WORK/inuse_objects.top" robust::fill_containers)
check_eq "fill_containers inuse_objects (containers destroyed)" "${got:-0}" 0

# The allocator's frames are dropped: no operator new, no std allocator.
checks=$((checks + 1))
if grep -Eq ' (operator new|std::__new_allocator::allocate|std::allocator_traits::allocate)( |$)' \
	"$WORK/alloc_space.top"; then
	fail "allocator frames in the profile:"; grep -E ' operator new| std::.*allocate( |$)' "$WORK/alloc_space.top"
else
	pass "allocator frames dropped"
fi
got=$(flat_of "$WORK/alloc_space.top" std::vector::_M_realloc_insert)
check_eq "vector growth flat on its caller, _M_realloc_insert (>= 8188)" \
	"$([ "${got:-0}" -ge 8188 ] && echo yes)" yes

# Two lambdas, each inlined: two functions, named by their scope and place.
l1=$(grep -n 'new char\[160\]' "$src" | cut -d: -f1)
l2=$(grep -n 'new char\[320\]' "$src" | cut -d: -f1)
lambda1=$(grep -o "robust::first_lambda_user()::{lambda@prog_cxx.cc:$l1:[0-9]*}::operator()" "$WORK/alloc_space.top" | head -n 1)
lambda2=$(grep -o "robust::second_lambda_user()::{lambda@prog_cxx.cc:$l2:[0-9]*}::operator()" "$WORK/alloc_space.top" | head -n 1)
check_eq "first lambda named" "$([ -n "$lambda1" ] && echo yes)" yes
check_eq "second lambda named" "$([ -n "$lambda2" ] && echo yes)" yes
check_eq "first lambda flat alloc_space" "$(flat_of "$WORK/alloc_space.top" "$lambda1")" 320
check_eq "second lambda flat alloc_space" "$(flat_of "$WORK/alloc_space.top" "$lambda2")" 640
check_eq "run_twice holds both" "$(cum_value "$WORK/alloc_space.top" robust::run_twice)" 960
checks=$((checks + 1))
if grep -Eq '%  (operator\(\)|_M_run|grow)( \(inline\))?$' "$WORK/alloc_space.top"; then
	fail "bare names of C++ functions:"; grep -E '%  (operator\(\)|_M_run|grow)( |$)' "$WORK/alloc_space.top"
else
	pass "no bare member names"
fi
# Functions with no linker name: a member in an anonymous namespace
# (inlined), std::thread's template over a lambda.
check_eq "Box::grow qualified" \
	"$(cum_value "$WORK/alloc_space.top" "robust::(anonymous namespace)::Box::grow")" 8188
check_eq "thread body qualified" "$(cum_value "$WORK/alloc_space.top" std::thread::_State_impl::_M_run)" 8188

# Names as pprof shows C++: short (no parameters, no template arguments),
# and exactly what pprof's own demangler makes of the mangled system names
# (-symbolize=remote:force re-demangles them without reading any binary).
checks=$((checks + 1))
long=$(awk "$NAME_AWK"' /%  / && length(name) > 100 { print name }' "$WORK/alloc_space.top")
if [ -n "$long" ]; then fail "names longer than 100 characters:"; echo "$long" | head -5
else pass "no name longer than 100 characters"; fi
check_grep "std::vector::push_back named" ' std::vector::push_back \(inline\)$' "$WORK/alloc_space.top"
check_grep "std::map code named" ' std::_Rb_tree::' "$WORK/alloc_space.top"
pprof "$WORK/pprof_names.top" "$prof" -top -cum -nodecount=1000 -nodefraction=0 -unit=B \
	-sample_index=alloc_space -symbolize=remote:force
check_eq "names equal pprof's own demangling" \
	"$(diff "$WORK/alloc_space.top" "$WORK/pprof_names.top" >/dev/null && echo same)" same
pprof "$WORK/raw" "$prof" -raw
check_grep "mangled name kept as system name" \
	' robust::make_widgets .* s=[0-9]*\(_ZN6robust12make_widgetsEi\)' "$WORK/raw"
checks=$((checks + 1))
if grep -Eq ' _Z[A-Za-z0-9_]+' "$WORK/alloc_objects.top"; then
	fail "mangled names in the profile:"; grep -E ' _Z[A-Za-z0-9_]+' "$WORK/alloc_objects.top" | head -5
else
	pass "no mangled names"
fi

# file:line of the new expression; none for _start
line=$(grep -n 'widgets\[i\] = new Widget' "$src" | cut -d: -f1)
pprof "$WORK/lines.top" "$prof" -top -lines -nodecount=1000 -nodefraction=0 -sample_index=alloc_objects
check_grep "new Widget at prog_cxx.cc:$line" "robust::make_widgets .*prog_cxx.cc:$line( |\$)" "$WORK/lines.top"
pprof "$WORK/traces" "$prof" -traces -lines -sample_index=alloc_objects
check_grep "_start named" '^ +_start' "$WORK/traces"
checks=$((checks + 1))
if grep -Eq '^ +_start .' "$WORK/traces"; then
	fail "_start has a file:line:"; grep -E '^ +_start ' "$WORK/traces" | sort -u
else
	pass "_start has no file:line"
fi

# libc frames: named, no "name@@GLIBC_x" from a static symbol table
check_grep "libc start-up frame named" '^ +__libc_start_main$' "$WORK/traces"
checks=$((checks + 1))
if grep -Eq '@@?(GLIBC|GCC|CXXABI|GLIBCXX)_' "$WORK/traces"; then
	fail "symbol versions in names:"; grep -E '@@?[A-Z]+_' "$WORK/traces" | head -5
else
	pass "no symbol versions in names"
fi
# -- exceptions under the cpu profile's signal --
timeout 120 env PPROF_AGENT="dir=$WORK/t,mem_rate=1,interval=0,cpu_hz=1000,cpu_timer=signal" \
	LD_PRELOAD="$AGENT_LIB" "$WORK/prog_cxx_throw" >"$WORK/out" 2>"$WORK/err"
check_eq "exceptions under SIGPROF: exit status" "$?" 0
check_eq "exceptions under SIGPROF: output" "$(cat "$WORK/out")" "caught 120000"
check_eq "exceptions under SIGPROF: no stderr" "$(cat "$WORK/err")" ""
pprof "$WORK/throw.heap" "$(latest "$WORK/t" heap)" -top
if pprof "$WORK/throw.top" "$(latest "$WORK/t" cpu)" -top -cum -nodecount=1000 -unit=ms; then
	check_between "throw_and_catch's share of the cpu profile (%)" \
		"$(awk "$NAME_AWK"' name == "throw_and_catch" { v = $5; gsub(/[^0-9.]/, "", v); print v; exit }' \
			"$WORK/throw.top")" 50 100
	check_grep "the unwinder is in the cpu profile" "_Unwind_RaiseException" "$WORK/throw.top"
fi
finish
