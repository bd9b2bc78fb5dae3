#!/bin/sh
# e2e_private_deps.sh — the libraries the agent calls itself stay its own.
# host_namesakes is linked with a library of its own (libnamesakes.so)
# that defines unw_backtrace, deflate, protobuf_c_message_pack, elf_begin,
# dwarf_getsrcfiles and inflate, each returning a marker; its debug
# sections are compressed (zlib). Under the agent (mem_rate=1):
#  - the host's calls reach its own functions (the markers are printed);
#  - the agent's encoder still reaches its own zlib and protobuf-c: the
#    heap profile reads through go tool pprof and shows the exact
#    50 x 20000 B of namesake_block (inlined into namesake_alloc);
#  - the symbolizer still reaches the real libelf and libdw, and libelf the
#    real inflate: both functions have their file:line, namesake_alloc's
#    the call site of the inlined block (read with dwarf_getsrcfiles);
#  - the agent does not ask the dynamic linker for protobuf-c, zlib, libdw
#    or libelf (no NEEDED entry for them).
. "${top_srcdir:-.}/tests/e2e/lib.sh"

CC=${CC:-cc}
src="$top_srcdir/tests/programs"
if ! $CC -shared -fPIC -O1 -o "$WORK/libnamesakes.so" "$src/host_namesakes_lib.c" 2>"$WORK/cc.err" ||
	! $CC -g -gz=zlib -O1 -fno-omit-frame-pointer -o "$WORK/host_namesakes" "$src/host_namesakes.c" \
		-L"$WORK" -lnamesakes -Wl,-rpath,"$WORK" 2>>"$WORK/cc.err"; then
	echo "e2e_private_deps: cannot build the host:"; cat "$WORK/cc.err"
	exit 99
fi

markers="unw_backtrace 4242
deflate 4343
protobuf_c_message_pack 4444
elf_begin 4545
dwarf_getsrcfiles 4646
inflate 4747"
readelf -SW "$WORK/host_namesakes" >"$WORK/sections"
check_grep "the host's DWARF is compressed" '\.debug_info .* [A-Z]*C[A-Z]* ' "$WORK/sections"
"$WORK/host_namesakes" >"$WORK/alone.out"
check_eq "without the agent: the host's calls reach its own functions" "$(cat "$WORK/alone.out")" "$markers"

PPROF_AGENT="dir=$WORK/p,mem_rate=1,interval=0" LD_PRELOAD="$AGENT_LIB" \
	"$WORK/host_namesakes" >"$WORK/out" 2>"$WORK/err"
check_eq "exit status" "$?" 0
check_eq "under the agent: the host's calls reach its own functions" "$(cat "$WORK/out")" "$markers"
check_eq "nothing on stderr" "$(cat "$WORK/err")" ""
prof=$(latest "$WORK/p" heap)
if pprof "$WORK/inuse.top" "$prof" -top -nodecount=1000 -unit=B -sample_index=inuse_space; then
	check_eq "namesake_block inuse_space" "$(flat_value "$WORK/inuse.top" namesake_block)" 1000000
fi
if pprof "$WORK/objects.top" "$prof" -top -nodecount=1000 -sample_index=inuse_objects; then
	check_eq "namesake_block inuse_objects" "$(flat_value "$WORK/objects.top" namesake_block)" 50
fi
if pprof "$WORK/lines.top" "$prof" -top -lines -nodecount=1000 -nodefraction=0 \
	-sample_index=inuse_objects; then
	block=$(grep -n "the block's line" "$src/host_namesakes.c" | cut -d: -f1)
	call=$(grep -n "the call site's line" "$src/host_namesakes.c" | cut -d: -f1)
	check_grep "namesake_block at host_namesakes.c:$block" \
		" namesake_block .*host_namesakes.c:$block( |\$)" "$WORK/lines.top"
	check_grep "namesake_alloc at host_namesakes.c:$call" \
		" namesake_alloc .*host_namesakes.c:$call( |\$)" "$WORK/lines.top"
fi

needed=$(readelf -d "$AGENT_LIB" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
check_eq "agent NEEDED entries for protobuf-c, zlib, libdw or libelf" \
	"$(echo "$needed" | tr ' ' '\n' | grep -c '^lib\(protobuf-c\|z\|dw\|elf\)\.so')" 0
finish
