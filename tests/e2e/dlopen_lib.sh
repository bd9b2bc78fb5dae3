# tests/e2e/dlopen_lib.sh — set-up shared by e2e_dlopen.sh and
# e2e_dlopen_reuse.sh: builds the two test libraries (libdso.so with
# dso_alloc, libother.so with other_alloc) from prog_dlopen_lib.c into $WORK,
# and check_mapping. Sourced after tests/e2e/lib.sh.
PROG="$TESTS_BIN/prog_dlopen"
LIBSRC="$top_srcdir/tests/programs/prog_dlopen_lib.c"
CC=${CC:-cc}
for lib in dso:dso_alloc other:other_alloc; do
	if ! $CC -shared -fPIC -g -O1 -fno-omit-frame-pointer -DDSO_ALLOC=${lib#*:} \
		-o "$WORK/lib${lib%%:*}.so" "$LIBSRC" 2>"$WORK/cc.err"; then
		echo "e2e_dlopen: cannot build lib${lib%%:*}.so:"; cat "$WORK/cc.err"
		exit 99
	fi
done
line=$(grep -n 'out\[i\] = malloc' "$LIBSRC" | cut -d: -f1)

# check_mapping WHAT LIBRARY RAWFILE — LIBRARY among the mappings of a -raw dump
check_mapping() {
	checks=$((checks + 1))
	if sed -n '/^Mappings/,$p' "$3" | grep -q "/$2\( \|\$\)"; then pass "$1"
	else fail "$1: no mapping of $2 in:"; sed -n '/^Mappings/,$p' "$3" | sed 's/^/    /'; fi
}

