#!/bin/sh
# e2e_exports.sh — what the agent library shows the programs it is loaded
# into. A hook that is not exported is never called (the host's malloc or
# pthread_mutex_lock goes straight to the C library, and its profile just
# stays empty), so the list is checked, not trusted:
#  - every function defined with AGENT_HOOK in src/hooks/*.c and every
#    function of include/pprof_agent.h is a defined dynamic symbol;
#  - nothing else is (no internal function, no linker-made section bound,
#    nothing of a library linked into the agent);
#  - none carries a symbol version: an unversioned definition takes over a
#    reference of any version (malloc@GLIBC_2.2.5), a versioned one would not;
#  - the soname is versioned (libpprof-agent.so.0).
. "${top_srcdir:-.}/tests/e2e/lib.sh"

lib=$(readlink -f "$AGENT_LIB")
# the name of each function defined on a line starting with MARKER
defined_with() {
	sed -n "s/^$1 [^(]*[ *]\([A-Za-z_][A-Za-z_0-9]*\)(.*/\1/p" "$2"
}
for f in "$top_srcdir"/src/hooks/*.c; do defined_with AGENT_HOOK "$f"; done | sort -u >"$WORK/hooks"
defined_with PPROF_AGENT_API "$top_srcdir/include/pprof_agent.h" | sort -u >"$WORK/api"
sort -u "$WORK/hooks" "$WORK/api" >"$WORK/wanted"
nm -D --defined-only "$lib" | awk '{ print $3 }' | sort -u >"$WORK/exported"

check_between "hooks found in src/hooks" "$(wc -l <"$WORK/hooks")" 30 1000
check_between "API functions found in include/pprof_agent.h" "$(wc -l <"$WORK/api")" 10 1000
missing=$(comm -23 "$WORK/wanted" "$WORK/exported" | tr '\n' ' ')
check_eq "hooks and API functions not exported" "$missing" ""
extra=$(comm -13 "$WORK/wanted" "$WORK/exported" | tr '\n' ' ')
check_eq "exported symbols that are neither hooks nor API" "$extra" ""
check_eq "exported symbols with a version" "$(grep -c @ "$WORK/exported")" 0
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
check_eq "soname" "$soname" libpprof-agent.so.0
finish
