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
#    dynamic symbols;
#  - an AddressSanitizer host: libdw loaded without RTLD_DEEPBIND, which
#    ASan refuses; the program ends normally with file:line in its profile.
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

# An AddressSanitizer host (its dlopen refuses RTLD_DEEPBIND and ends the
# program): libdw loaded without, and file:line as usual.
cat >"$WORK/asan.c" <<'END'
#include <stdlib.h>
static void *keep[10];
__attribute__((noinline)) static void asan_alloc(void)
{
	for (int i = 0; i < 10; i++)
		keep[i] = malloc(1000);  /* asan_alloc's line */
}
int main(void)
{
	asan_alloc();
	return keep[9] == NULL;
}
END
if ${CC:-cc} -g -O1 -fsanitize=address -o "$WORK/asan" "$WORK/asan.c" 2>"$WORK/asan.cc.err"; then
	# The agent is preloaded before ASan's runtime, which ASan checks by
	# default. LeakSanitizer is off: under the agent it fails a program's
	# exit whenever a library is dlopened, the agent's libdw or the host's
	# own (docs/isolation.md), which is not what is tested here.
	ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0 PPROF_AGENT="dir=$WORK/c,mem_rate=1,interval=0" \
		LD_PRELOAD="$AGENT_LIB" "$WORK/asan" >"$WORK/c.out" 2>"$WORK/c.err"
	check_eq "asan: exit status" "$?" 0
	check_eq "asan: nothing on stderr" "$(cat "$WORK/c.err")" ""
	if pprof "$WORK/c.lines" "$(latest "$WORK/c" heap)" -top -lines -nodecount=1000 \
		-sample_index=alloc_objects -symbolize=none; then
		line=$(grep -n "asan_alloc's line" "$WORK/asan.c" | cut -d: -f1)
		check_grep "asan: asan_alloc at asan.c:$line" " asan_alloc .*asan.c:$line( |\$)" "$WORK/c.lines"
	fi
else
	echo "note: cc -fsanitize=address fails: an AddressSanitizer host not tested"
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
