#!/bin/sh
# e2e_install.sh — the build installed as a user installs it (make install,
# into a DESTDIR under the test's directory), then used from there:
#  - the library under its soname (libpprof-agent.so.0 and the files it
#    links to), pprof-agent-libdw.so beside it, the launcher, the header, pprof-agent.pc and the man page
#    pprof-agent(1) are installed;
#  - the man page renders without warnings and names every flag that
#    pprof-agent --help lists;
#  - the installed launcher finds the installed library by itself and the
#    profile it writes reads through go tool pprof with exact figures;
#  - a program built with pkg-config --cflags --libs pprof-agent (the C API)
#    runs against the installed library and writes a profile that reads;
#    built with the static libpprof-agent.a and pkg-config --static, it
#    links and does the same.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

dest="$WORK/dest"
# MAKEFLAGS of the make running the tests would tie this make to its jobs
if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$top_builddir" install DESTDIR="$dest" \
	>"$WORK/install.out" 2>&1; then
	echo "e2e_install: make install failed:"; cat "$WORK/install.out"
	exit 99
fi
var() { pkg-config --variable="$1" "$top_builddir/pprof-agent.pc"; }
prefix=$(var prefix) libdir=$(var libdir) includedir=$(var includedir)
bindir=$prefix/bin mandir=$prefix/share/man

for f in "$libdir/libpprof-agent.so.0" "$libdir/libpprof-agent.so" "$libdir/libpprof-agent.a" \
	"$libdir/pkgconfig/pprof-agent.pc" "$includedir/pprof_agent.h" "$bindir/pprof-agent" \
	"$mandir/man1/pprof-agent.1" "$libdir/pprof-agent-libdw.so"; do
	check_eq "installed: $f" "$([ -e "$dest$f" ] && echo yes)" yes
done
check_eq "libpprof-agent.so.0 is the library's soname" \
	"$(readelf -d "$dest$libdir/libpprof-agent.so.0" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')" \
	libpprof-agent.so.0

man="$dest$mandir/man1/pprof-agent.1"
if [ -f "$man" ] && command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man --warnings -l "$man" >"$WORK/man.txt" 2>"$WORK/man.err"
	check_eq "the man page renders without warnings" "$(cat "$WORK/man.err")" ""
	"$LAUNCHER" --help | sed -n 's/^  \(--[a-z-]*\).*/\1/p' >"$WORK/flags"
	check_between "flags in pprof-agent --help" "$(wc -l <"$WORK/flags")" 10 1000
	missing=$(while read -r flag; do grep -q -- "$flag" "$WORK/man.txt" || echo "$flag"; done <"$WORK/flags")
	check_eq "flags of --help missing from the man page" "$missing" ""
fi

launcher="$dest$bindir/pprof-agent"
if [ "$(dirname "$bindir")/lib" = "$libdir" ]; then
	env -u PPROF_AGENT_LIBRARY "$launcher" --dir="$WORK/p" --mem-rate=1 --interval=0 -- \
		sh -c 'echo "$LD_PRELOAD"; exec "$1"' sh "$TESTS_BIN/prog_heap_exact" >"$WORK/launcher.out" \
		2>"$WORK/launcher.err"
	check_eq "installed launcher: exit status" "$?" 0
	check_eq "installed launcher: nothing on stderr (libdw loaded through the installed pprof-agent-libdw.so)" \
		"$(cat "$WORK/launcher.err")" ""
	check_eq "installed launcher: the library it preloads" "$(head -n 1 "$WORK/launcher.out")" \
		"$(readlink -f "$dest$libdir/libpprof-agent.so.0")"
	if pprof "$WORK/heap.top" "$(latest "$WORK/p" heap)" -top -nodecount=100 -unit=B \
		-sample_index=alloc_space; then
		check_eq "installed launcher: alloc_small alloc_space" \
			"$(flat_value "$WORK/heap.top" alloc_small)" 100000
	fi
else
	echo "note: libdir $libdir is not ../lib of bindir $bindir; the launcher's own lookup is not run"
fi

# A program of the C API: sets its heap rate to every allocation, keeps
# 10 x 3000 B, and writes its heap profile to the file named by argv[1].
cat >"$WORK/api.c" <<'EOF'
#include <fcntl.h>
#include <pprof_agent.h>
#include <stdlib.h>
#include <unistd.h>
static void *keep[10];
__attribute__((noinline)) static void api_alloc(void)
{
	for (int i = 0; i < 10; i++)
		keep[i] = malloc(3000);
}
int main(int argc, char **argv)
{
	int fd = argc > 1 ? open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600) : -1;
	pprof_set_mem_profile_rate(1);
	api_alloc();
	if (fd < 0 || pprof_write_profile("heap", fd) != 0)
		return 1;
	return close(fd) != 0 || keep[9] == NULL;
}
EOF
CC=${CC:-cc}
export PKG_CONFIG_PATH="$dest$libdir/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest"
# api_check WHAT — runs $WORK/api and reads the profile it wrote
api_check() {
	"$WORK/api" "$WORK/api.pb.gz"
	check_eq "$1: exit status" "$?" 0
	if pprof "$WORK/api.top" "$WORK/api.pb.gz" -top -nodecount=100 -unit=B -sample_index=inuse_space; then
		check_eq "$1: api_alloc inuse_space" "$(flat_value "$WORK/api.top" api_alloc)" 30000
	fi
}
if $CC -g -O1 -o "$WORK/api" "$WORK/api.c" $(pkg-config --cflags --libs pprof-agent) \
	-Wl,-rpath,"$dest$libdir" 2>"$WORK/cc.err"; then
	check_eq "linked with pkg-config: NEEDED libpprof-agent.so.0" \
		"$(readelf -d "$WORK/api" | grep -c 'NEEDED.*\[libpprof-agent\.so\.0\]')" 1
	api_check "linked with pkg-config"
else
	fail "cc \$(pkg-config --cflags --libs pprof-agent) failed:"; head -n 20 "$WORK/cc.err"
fi
static_libs=$(pkg-config --static --libs pprof-agent | sed 's/-lpprof-agent//')
if $CC -g -O1 -o "$WORK/api" "$WORK/api.c" $(pkg-config --cflags pprof-agent) \
	"$dest$libdir/libpprof-agent.a" $static_libs 2>"$WORK/cc.err"; then
	api_check "linked statically with pkg-config --static"
else
	fail "cc libpprof-agent.a \$(pkg-config --static --libs pprof-agent) failed:"; head -n 20 "$WORK/cc.err"
fi
finish
