#!/bin/sh
# scripts/setup.sh — makes a fresh Debian machine ready and builds
# pprof-agent: installs the Debian packages the build, the tests and the
# benchmarks (bench/side-by-side.sh) need
# (only those missing; safe to run again), then configures and builds in
# ./build. Used by demo.sh and test.sh; run it alone to just build.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PACKAGES="build-essential autoconf automake libtool pkg-config \
protobuf-c-compiler libprotobuf-c-dev zlib1g-dev libdw-dev check \
golang-go g++ procps bc libjemalloc2 libtcmalloc-minimal4 python3.11 libpython3.11-testsuite \
libgoogle-perftools4 heaptrack valgrind sqlite3 time libmicrohttpd-dev curl gdb"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing Debian packages:$missing"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
	echo "setup: autoreconf"
	autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
fi
mkdir -p build
cd build
if [ ! -f Makefile ] || [ ../configure -nt Makefile ]; then
	echo "setup: configure"
	../configure -q
fi
echo "setup: make"
make -s -j"$(nproc)" >/dev/null
echo "setup: built $ROOT/build/pprof-agent and $ROOT/build/.libs/libpprof-agent.so"
