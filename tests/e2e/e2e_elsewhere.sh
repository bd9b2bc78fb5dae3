#!/bin/sh
# e2e_elsewhere.sh — profiles read on a machine that has none of the
# profiled program's files. The heap profiles of a C++ program
# (tests/programs/prog_cxx.cc: libstdc++, libc, libgcc_s, its own binary)
# and of sqlite3 (libsqlite3 named from its dynamic symbols, with static
# functions no symbol names) are read by pprof twice: in place, and in a
# root directory of their own that holds only pprof and the C library pprof
# runs on, at paths none of the profiles' mappings name (checked: no mapping
# path exists under that root). Entered with `unshare -r --root` (a user
# namespace, no privilege), or by chroot when root and user namespaces are
# off; skipped when neither is possible. Both reads must be warning-free
# (pprof warns "Local symbolization failed", "Some binary filenames not
# available" for any used mapping that does not say it is symbolized) and
# print the same report.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

ROOT="$WORK/root"
mkdir -p "$ROOT/rt" "$ROOT/home"
pprof_tool=$(go env GOTOOLDIR)/pprof
if [ ! -x "$pprof_tool" ]; then
	echo "e2e_elsewhere: skipped, no pprof tool at '$pprof_tool'"
	exit 77
fi
cp "$pprof_tool" "$ROOT/pprof"
# pprof's own shared libraries and loader go to /rt; it runs as
# /rt/LOADER --library-path /rt /pprof (or directly when static).
run_pprof=/pprof
loader=$(ldd "$pprof_tool" 2>/dev/null | awk '$1 ~ /^\// { print $1 }')
for lib in $(ldd "$pprof_tool" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 }') $loader; do
	cp "$lib" "$ROOT/rt/"
done
[ -z "$loader" ] || run_pprof="/rt/$(basename "$loader") --library-path /rt /pprof"

# in_root COMMAND... — runs COMMAND with $ROOT as /.
if unshare -r true 2>/dev/null; then
	in_root() { HOME=/home unshare -r --root="$ROOT" "$@"; }
elif [ "$(id -u)" -eq 0 ] && command -v chroot >/dev/null 2>&1; then
	in_root() { HOME=/home chroot "$ROOT" "$@"; }
else
	echo "e2e_elsewhere: SKIP: cannot enter a root of our own (no user namespaces: unshare -r fails, and not root for chroot)"
	exit 77
fi

# read_elsewhere NAME PROFILE — reads PROFILE in place and in $ROOT, and
# compares.
read_elsewhere() {
	name=$1 prof=$2
	pprof "$WORK/$name.raw" "$prof" -raw || return
	mappings=$(sed -n '/^Mappings/,$p' "$WORK/$name.raw" | awk 'NR > 1 && $3 ~ /^\// { print $3 }')
	present=""
	for m in $mappings; do
		[ ! -e "$ROOT$m" ] || present="$present $m"
	done
	check_eq "$name: no mapping's file under the root" "${present:-none}" none
	check_eq "$name: mappings of files to hide" "$([ -n "$mappings" ] && echo yes)" yes
	for idx in alloc_space inuse_space; do
		args="-top -nodecount=1000 -nodefraction=0 -sample_index=$idx"
		pprof "$WORK/$name.$idx.here" "$prof" $args
		cp "$prof" "$ROOT/profile.pb.gz"
		# shellcheck disable=SC2086
		in_root $run_pprof $args /profile.pb.gz >"$WORK/$name.$idx.there" 2>"$WORK/$name.$idx.err"
		check_eq "$name $idx: pprof exit status without the files" "$?" 0
		check_eq "$name $idx: no warning without the files" "$(cat "$WORK/$name.$idx.err")" ""
		check_eq "$name $idx: same report without the files" \
			"$(diff "$WORK/$name.$idx.here" "$WORK/$name.$idx.there" >/dev/null && echo same)" same
		[ ! -s "$WORK/$name.$idx.err" ] || sed 's/^/    /' "$WORK/$name.$idx.err" | head -5
	done
}

CXX=${CXX:-g++}
if command -v "$CXX" >/dev/null 2>&1; then
	src="$top_srcdir/tests/programs/prog_cxx.cc"
	if ! $CXX -O2 -g -fno-omit-frame-pointer -pthread -o "$WORK/prog_cxx" "$src" 2>"$WORK/cxx.err"; then
		echo "e2e_elsewhere: cannot build $src:"; cat "$WORK/cxx.err"
		exit 99
	fi
	timeout 60 env PPROF_AGENT="dir=$WORK/cxx,mem_rate=1,interval=0" LD_PRELOAD="$AGENT_LIB" \
		"$WORK/prog_cxx" >/dev/null
	check_eq "prog_cxx exit status" "$?" 0
	read_elsewhere prog_cxx "$(latest "$WORK/cxx" heap)"
else
	echo "note: no C++ compiler ($CXX), the C++ part is not run"
fi

if command -v sqlite3 >/dev/null 2>&1; then
	sql="create table t(a, b);
with recursive c(x) as (select 1 union all select x + 1 from c where x < 20000)
insert into t select x, hex(randomblob(32)) from c;
create index tb on t(b);
select count(*) from t;"
	timeout 60 env PPROF_AGENT="dir=$WORK/sqlite,mem_rate=4k,interval=0" LD_PRELOAD="$AGENT_LIB" \
		sqlite3 :memory: "$sql" >"$WORK/sqlite.out"
	check_eq "sqlite3 exit status" "$?" 0
	check_eq "sqlite3 output" "$(cat "$WORK/sqlite.out")" 20000
	read_elsewhere sqlite3 "$(latest "$WORK/sqlite" heap)"
else
	echo "note: no sqlite3, the sqlite3 part is not run"
fi
finish
