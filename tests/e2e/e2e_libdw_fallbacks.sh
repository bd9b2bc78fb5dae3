#!/bin/sh
# e2e_libdw_fallbacks.sh — the symbolizer when libdw cannot be loaded in a
# scope of its own (src/symbolize/libdw_fns.c), run on prog_heap_exact:
#  - the agent's library alone in a directory, without pprof-agent-libdw.so
#    beside it (nor installed): exactly one line says libdw is loaded in the program's
#    symbol scope, and functions still have their file:line;
#  - libdw.so.1 unreadable (a mount namespace puts /dev/null over it;
#    skipped without user namespaces): exactly one line says it cannot be
#    loaded, the program ends normally, and the profile, read without
#    pprof's own symbolization, names the C library's frames from their
#    dynamic symbols.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

prog="$TESTS_BIN/prog_heap_exact"

libdir=$(pkg-config --variable=libdir "$top_builddir/pprof-agent.pc")
if ldconfig -p | grep -q 'pprof-agent-libdw\.so' || [ -e "$libdir/pprof-agent-libdw.so" ]; then
	echo "note: pprof-agent-libdw.so is installed: the agent finds it there, not tested alone"
else
	mkdir -p "$WORK/alone"
	cp "$AGENT_LIB" "$WORK/alone/libpprof-agent.so"
	PPROF_AGENT="dir=$WORK/a,mem_rate=1,interval=0" LD_PRELOAD="$WORK/alone/libpprof-agent.so" \
		"$prog" >"$WORK/a.out" 2>"$WORK/a.err"
	check_eq "alone: exit status" "$?" 0
	check_eq "alone: one line on stderr" "$(wc -l <"$WORK/a.err")" 1
	check_grep "alone: the line says why" \
		"^pprof-agent: pprof-agent-libdw.so not found beside the agent.*libdw.so.1 loaded in the program's symbol scope" \
		"$WORK/a.err"
	if pprof "$WORK/a.lines" "$(latest "$WORK/a" heap)" -top -lines -nodecount=1000 \
		-sample_index=alloc_objects -symbolize=none; then
		line=$(awk '$2 == "alloc_small" { print $3 }' "$WORK/a.out")
		check_grep "alone: alloc_small at prog_heap_exact.c:$line" \
			" alloc_small .*prog_heap_exact.c:$line( |\$)" "$WORK/a.lines"
	fi
fi

libdw=$(ldconfig -p | awk '$1 == "libdw.so.1" { print $NF; exit }')
if [ -z "$libdw" ] || ! unshare -rm true 2>/dev/null; then
	echo "note: no user namespaces (unshare -rm fails) or no libdw.so.1: its absence not tested"
	finish
fi
unshare -rm sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' sh "$libdw" \
	env PPROF_AGENT="dir=$WORK/b,mem_rate=1,interval=0" LD_PRELOAD="$AGENT_LIB" \
	"$prog" >"$WORK/b.out" 2>"$WORK/b.err"
check_eq "no libdw: exit status" "$?" 0
check_eq "no libdw: one line on stderr" "$(wc -l <"$WORK/b.err")" 1
check_grep "no libdw: the line says why" \
	"^pprof-agent: cannot load libdw.so.1 .*named from dynamic symbols only" "$WORK/b.err"
if pprof "$WORK/b.top" "$(latest "$WORK/b" heap)" -top -nodecount=1000 -nodefraction=0 \
	-sample_index=alloc_objects -symbolize=none; then
	check_grep "no libdw: a C library frame named from its dynamic symbol" \
		' __libc_start_main$' "$WORK/b.top"
fi
finish
