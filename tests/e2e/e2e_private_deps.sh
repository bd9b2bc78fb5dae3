#!/bin/sh
# e2e_private_deps.sh — the libraries the agent calls itself stay its own.
# host_namesakes is linked with a library of its own (libnamesakes.so)
# that defines unw_backtrace, deflate and protobuf_c_message_pack, each
# returning a marker. Under the agent (mem_rate=1):
#  - the host's calls reach its own functions (the markers are printed);
#  - the agent's encoder still reaches its own zlib and protobuf-c: the
#    heap profile reads through go tool pprof and shows namesake_alloc's
#    exact 50 x 20000 B;
#  - the agent does not ask the dynamic linker for protobuf-c or zlib
#    (no NEEDED entry for them).
. "${top_srcdir:-.}/tests/e2e/lib.sh"

CC=${CC:-cc}
src="$top_srcdir/tests/programs"
if ! $CC -shared -fPIC -O1 -o "$WORK/libnamesakes.so" "$src/host_namesakes_lib.c" 2>"$WORK/cc.err" ||
	! $CC -g -O1 -fno-omit-frame-pointer -o "$WORK/host_namesakes" "$src/host_namesakes.c" \
		-L"$WORK" -lnamesakes -Wl,-rpath,"$WORK" 2>>"$WORK/cc.err"; then
	echo "e2e_private_deps: cannot build the host:"; cat "$WORK/cc.err"
	exit 99
fi

markers="unw_backtrace 4242
deflate 4343
protobuf_c_message_pack 4444"
"$WORK/host_namesakes" >"$WORK/alone.out"
check_eq "without the agent: the host's calls reach its own functions" "$(cat "$WORK/alone.out")" "$markers"

PPROF_AGENT="dir=$WORK/p,mem_rate=1,interval=0" LD_PRELOAD="$AGENT_LIB" \
	"$WORK/host_namesakes" >"$WORK/out" 2>"$WORK/err"
check_eq "exit status" "$?" 0
check_eq "under the agent: the host's calls reach its own functions" "$(cat "$WORK/out")" "$markers"
check_eq "nothing on stderr" "$(cat "$WORK/err")" ""
prof=$(latest "$WORK/p" heap)
if pprof "$WORK/inuse.top" "$prof" -top -nodecount=1000 -unit=B -sample_index=inuse_space; then
	check_eq "namesake_alloc inuse_space" "$(flat_value "$WORK/inuse.top" namesake_alloc)" 1000000
fi
if pprof "$WORK/objects.top" "$prof" -top -nodecount=1000 -sample_index=inuse_objects; then
	check_eq "namesake_alloc inuse_objects" "$(flat_value "$WORK/objects.top" namesake_alloc)" 50
fi

needed=$(readelf -d "$AGENT_LIB" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
check_eq "agent NEEDED entries for protobuf-c or zlib" \
	"$(echo "$needed" | tr ' ' '\n' | grep -c '^lib\(protobuf-c\|z\)\.so')" 0
finish
