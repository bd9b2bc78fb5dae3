#!/bin/sh
# e2e_host_privileges.sh — whoever sets the environment cannot use the agent
# to act with someone else's privileges (needs root; skipped otherwise):
#  - a setuid-root program linked with the agent (tests/programs/
#    host_setuid.c), run by nobody with PPROF_AGENT naming a directory:
#    the agent does not read its options, writes nothing, says nothing,
#    and refuses a snapshot the program asks for (EPERM);
#  - nobody plants a symbolic link in a shared sticky directory pointing
#    at a directory of root's; a program root runs with dir= through that
#    link writes nothing there, and the agent says why in one line (the
#    agent used to follow the link and write root's profiles into the
#    victim directory).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
	echo "note: not root or no setpriv: privileges are not tested"
	exit 77
fi
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
chmod 755 "$WORK"

# The library beside the program, where nobody can read it.
mkdir -p "$WORK/lib" "$WORK/bin"
cp "$AGENT_LIB" "$WORK/lib/libpprof-agent.so" || exit 99
${CC:-cc} -O1 -g -I"$top_srcdir/include" -o "$WORK/bin/host_setuid" \
	"$top_srcdir/tests/programs/host_setuid.c" -L"$WORK/lib" -lpprof-agent \
	-Wl,-rpath,"$WORK/lib" || exit 99
chmod 755 "$WORK/lib" "$WORK/bin" "$WORK/lib/libpprof-agent.so"
chmod 4755 "$WORK/bin/host_setuid"
as_nobody env PPROF_AGENT="dir=$WORK/evil,mem_rate=1,interval=10ms" "$WORK/bin/host_setuid" \
	>"$WORK/suid.out" 2>"$WORK/suid.err"
status=$?
if ! grep -q "^secure 1\$" "$WORK/suid.out"; then
	echo "note: the setuid bit has no effect here (nosuid mount?): $(cat "$WORK/suid.out" "$WORK/suid.err")"
else
	check_eq "setuid program: exit status" "$status" 0
	check_eq "setuid program: no stderr" "$(cat "$WORK/suid.err")" ""
	check_eq "setuid program: no directory made" "$([ -e "$WORK/evil" ] && echo made)" ""
	check_grep "setuid program: its snapshot is refused" "^snapshot -1 EPERM\$" "$WORK/suid.out"
fi

mkdir -m 1777 "$WORK/shared"
mkdir -m 755 "$WORK/victim"
as_nobody ln -s "$WORK/victim" "$WORK/shared/out" || exit 99
for dir in "$WORK/shared/out" "$WORK/shared/out/sub"; do
	timeout 60 env PPROF_AGENT="dir=$dir,mem_rate=1" LD_PRELOAD="$AGENT_LIB" "$TESTS_BIN/prog_wait" 0 3 \
		>"$WORK/planted.out" 2>"$WORK/planted.err"
	check_eq "dir=$dir: exit status" "$?" 3
	check_eq "dir=$dir: one line from the agent" "$(wc -l <"$WORK/planted.err" | tr -d ' ')" 1
	check_grep "dir=$dir: it names the planted link" \
		"^pprof-agent: option dir: cannot use \"$dir\": \"out\" is a symbolic link owned by another user; profiling is off\$" \
		"$WORK/planted.err"
	check_eq "dir=$dir: nothing in the victim directory" "$(ls -A "$WORK/victim" | wc -l | tr -d ' ')" 0
done
finish
