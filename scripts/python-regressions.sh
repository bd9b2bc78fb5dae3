#!/bin/sh
# scripts/python-regressions.sh — Python's own regression tests for
# signals, descriptors, fork, threads and subprocesses, run once without
# the agent and once with it (mem_rate=1, block_rate=1, mutex_fraction=1,
# the threads kind, cpu samples at 1000 Hz, snapshots every 200 ms), each
# test's outcome compared. A test that passes
# without the agent and fails, errs or is skipped with it is a difference;
# differences are run once more, alone, in both settings, and what still
# differs is reported. Tests that fail without the agent say nothing about
# it and are left out.
#
# Usage: sh scripts/python-regressions.sh [--quick] [MODULE...]
#   --quick  the modules that test.sh runs (signals, fds, fork, threads);
#            without it, the whole set (about 30 modules, many minutes)
# Needs Debian's python3.11 and libpython3.11-testsuite (setup.sh installs
# them) and a built agent (build/.libs/libpprof-agent.so). Exits 0 when
# nothing differs, 1 when something does, 77 when Python's tests are
# missing.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-/usr/bin/python3.11}
AGENT=${PPROF_TEST_AGENT_LIB:-$ROOT/build/.libs/libpprof-agent.so}

QUICK_MODULES="test_signal test_posix test_fork1 test_threading test_threadsignals test_wait4 test_subprocess"
ALL_MODULES="$QUICK_MODULES test_os test_thread test_threading_local \
test_wait3 test_eintr test_faulthandler test_select test_selectors test_poll test_epoll \
test_pty test_fcntl test_mmap test_resource test_socket test_socketserver test_popen \
test_file_eintr test_queue test_tempfile test_shutil test_multiprocessing_fork \
test_concurrent_futures"

modules=$ALL_MODULES
if [ "${1:-}" = "--quick" ]; then
	modules=$QUICK_MODULES
	shift
fi
[ $# -gt 0 ] && modules=$*

if ! "$PYTHON" -c "import test.test_signal" 2>/dev/null; then
	echo "python-regressions: no Python test suite ($PYTHON with libpython3.11-testsuite): skipped"
	exit 77
fi
if [ ! -f "$AGENT" ]; then
	echo "python-regressions: no agent at $AGENT (build it first)"
	exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/python-regressions.XXXXXX")
# A child of Python's tests may still be writing its last profile: once more after a pause.
trap 'rm -rf "$WORK" 2>/dev/null || { sleep 2; rm -rf "$WORK"; }' EXIT
SPEC="dir=$WORK/profiles,mem_rate=1,block_rate=1,mutex_fraction=1,threads=1,cpu_hz=1000,interval=200ms"

# run NAME [regrtest arguments...]: Python's tests into $WORK/NAME.xml,
# with the agent when NAME starts with "agent".
run() {
	name=$1
	shift
	case $name in
	agent*) set -- env PPROF_AGENT="$SPEC" LD_PRELOAD="$AGENT" "$PYTHON" -m test "$@" ;;
	*) set -- "$PYTHON" -m test "$@" ;;
	esac
	# -j1: each module in a worker process, which regrtest kills when a
	# test hangs for 10 minutes (reported as a failure).
	(cd "$WORK" && "$@" -j1 --timeout 600 --junit-xml "$WORK/$name.xml") >"$WORK/$name.log" 2>&1
}

# compare BASE AGENT: prints the ids of the tests that pass in BASE and
# not in AGENT, one per line, after a summary on stderr.
compare() {
	"$PYTHON" - "$WORK/$1.xml" "$WORK/$2.xml" <<'EOF'
import sys
import xml.etree.ElementTree as ET

def outcomes(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        sys.exit(f"python-regressions: cannot read {path}: {e}")
    out = {}
    for case in root.iter("testcase"):
        tags = {child.tag for child in case}
        if "failure" in tags or "error" in tags:
            out[case.get("name")] = "fail"
        elif "skipped" in tags or case.get("status") == "skipped":
            out[case.get("name")] = "skip"
        else:
            out[case.get("name")] = "pass"
    return out

base, agent = outcomes(sys.argv[1]), outcomes(sys.argv[2])
def count(o, what):
    return sum(1 for v in o.values() if v == what)
for label, o in (("without the agent", base), ("with the agent", agent)):
    print(f"python-regressions: {label}: {len(o)} tests, {count(o, 'pass')} passed, "
          f"{count(o, 'fail')} failed, {count(o, 'skip')} skipped", file=sys.stderr)
for name, result in sorted(base.items()):
    if result == "pass" and agent.get(name, "missing") != "pass":
        print(f"{name} {agent.get(name, 'missing')}")
EOF
}

echo "python-regressions: $(echo $modules | wc -w) modules, without the agent"
run base $modules
echo "python-regressions: the same with the agent ($SPEC)"
run agent $modules
compare base agent >"$WORK/differ" || exit 2
if [ ! -s "$WORK/differ" ]; then
	echo "python-regressions: no difference"
	exit 0
fi

# Once more, only the tests that differed: a test that is flaky on its own
# differs by chance; one the agent breaks differs again.
echo "python-regressions: $(wc -l <"$WORK/differ") differ; running them again in both settings"
matches=""
while read -r id _; do
	matches="$matches --match $id"
done <"$WORK/differ"
run base2 $modules $matches
run agent2 $modules $matches
compare base2 agent2 >"$WORK/differ2" || exit 2
if [ ! -s "$WORK/differ2" ]; then
	echo "python-regressions: no difference on the second run (the first was chance)"
	sed 's/^/    first run only: /' "$WORK/differ"
	exit 0
fi
echo "python-regressions: tests that pass without the agent and not with it:"
sed 's/^/    /' "$WORK/differ2"
echo "python-regressions: the agent's run, for the first of them:"
first=$(head -n 1 "$WORK/differ2" | cut -d' ' -f1)
grep -n -A 30 -- "${first##*.}" "$WORK/agent2.log" | head -60
exit 1
