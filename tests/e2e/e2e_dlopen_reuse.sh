#!/bin/sh
# e2e_dlopen_reuse.sh — libraries loaded where an unloaded one was
# (docs/module-identity.md):
#  - after a library is unloaded, another library (other_alloc) is loaded,
#    usually at the same address, and allocates too: each function keeps its
#    own count (12 and 9) and its own mapping (with buckets keyed by return
#    addresses alone, the second library's samples landed in the first
#    one's buckets and were named after it: dso_alloc 21, no other_alloc);
#  - the two loaded in turn 20 times: counts 20 and 20, and the agent holds
#    as many allocation sites as after 3 rounds (no bucket per round; a
#    library loaded at yet another address counts as another site);
#  - a library whose allocating function is in a dependency it brought in:
#    both unloaded by one dlclose, the dependency's function still named.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/dlopen_lib.sh"

# run NAME ARGS... — prog_dlopen ARGS under the agent at mem_rate=1,
# output in $WORK/NAME.out; sets $status.
run() {
	_name=$1
	shift
	rm -rf "$WORK/$_name"
	timeout 60 env PPROF_AGENT="dir=$WORK/$_name,mem_rate=1,interval=0" LD_PRELOAD="$AGENT_LIB" \
		"$PROG" "$@" >"$WORK/$_name.out" 2>"$WORK/$_name.err"
	status=$?
}

# same_address NAME — whether every library function of run NAME ran at one
# address.
same_address() {
	[ "$(awk '/ at / { print $3 }' "$WORK/$1.out" | sort -u | wc -l)" -eq 1 ]
}

# The second library is normally mapped where the first one was, but under
# the agent the agent's own small mappings sometimes take the hole first,
# depending on the process's allocations (even on the length of the library
# path): so the run is tried with the libraries in directories of different
# name lengths until both functions ran at the same address (8 tries at
# most; the counts are checked on the last run whatever happened).
for x in x xx xxx xxxx xxxxx xxxxxx xxxxxxx xxxxxxxx; do
	mkdir -p "$WORK/$x" && cp "$WORK/libdso.so" "$WORK/libother.so" "$WORK/$x/" || exit 99
	run two "$WORK/$x/libdso.so" dso_alloc 12 "$WORK/$x/libother.so" other_alloc 9
	same_address two && break
done
check_eq "two libraries: exit status" "$status" 0
check_eq "two libraries: both unloaded" "$(grep -c ' unloaded yes$' "$WORK/two.out")" 2
echo "note: the library functions ran at $(awk '/ at / { print $3 }' "$WORK/two.out" | tr '\n' ' ')"
prof=$(latest "$WORK/two" heap)
pprof "$WORK/two.top" "$prof" -top -nodecount=1000 -nodefraction=0 -sample_index=alloc_objects
check_eq "two libraries: dso_alloc alloc_objects" "$(flat_value "$WORK/two.top" dso_alloc)" 12
check_eq "two libraries: other_alloc alloc_objects" "$(flat_value "$WORK/two.top" other_alloc)" 9
pprof "$WORK/two.raw" "$prof" -raw
check_mapping "two libraries: libdso.so mapping listed" libdso.so "$WORK/two.raw"
check_mapping "two libraries: libother.so mapping listed" libother.so "$WORK/two.raw"

# rounds N — the arguments for N rounds of libdso then libother in $x.
rounds() {
	_i=0
	while [ $_i -lt "$1" ]; do
		printf '%s ' "$WORK/$x/libdso.so" dso_alloc 1 "$WORK/$x/libother.so" other_alloc 1
		_i=$((_i + 1))
	done
}
run three $(rounds 3)
run loop $(rounds 20)
check_eq "20 rounds: exit status" "$status" 0
prof=$(latest "$WORK/loop" heap)
pprof "$WORK/loop.top" "$prof" -top -nodecount=1000 -nodefraction=0 -sample_index=alloc_objects
check_eq "20 rounds: dso_alloc alloc_objects" "$(flat_value "$WORK/loop.top" dso_alloc)" 20
check_eq "20 rounds: other_alloc alloc_objects" "$(flat_value "$WORK/loop.top" other_alloc)" 20
echo "note: the 20 rounds ran at $(awk '/ at / { print $3 }' "$WORK/loop.out" | sort | uniq -c | tr -s ' \n' ' ')"
# beyond NAME — the allocation sites the agent holds after run NAME beyond
# one per library function and address it ran at (a library loaded at
# another address is another stack, as it should be).
beyond() {
	echo $(($(sed -n 's/^sites //p' "$WORK/$1.out") - \
		$(awk '/ at / { print $1, $3 }' "$WORK/$1.out" | sort -u | wc -l)))
}
check_eq "20 rounds: as many allocation sites as after 3" "$(beyond loop)" "$(beyond three)"

# A library (libtop.so) that brings in the one that allocates (libdep.so,
# dep_alloc): one dlclose unloads both.
$CC -shared -fPIC -g -O1 -DDSO_ALLOC=dep_alloc -o "$WORK/libdep.so" "$LIBSRC" &&
	echo 'int top_marker;' >"$WORK/top.c" &&
	$CC -shared -fPIC -o "$WORK/libtop.so" "$WORK/top.c" -L"$WORK" -Wl,--no-as-needed -ldep \
		-Wl,-rpath,"$WORK" || exit 99
run dep "$WORK/libtop.so" dep_alloc 7
check_eq "dependency: exit status" "$status" 0
check_grep "dependency: unloaded" '^dep_alloc at .* unloaded yes$' "$WORK/dep.out"
prof=$(latest "$WORK/dep" heap)
pprof "$WORK/dep.top" "$prof" -top -nodecount=1000 -nodefraction=0 -sample_index=alloc_objects
check_eq "dependency: dep_alloc alloc_objects" "$(flat_value "$WORK/dep.top" dep_alloc)" 7
pprof "$WORK/dep.raw" "$prof" -raw
check_mapping "dependency: libdep.so mapping listed" libdep.so "$WORK/dep.raw"

finish
