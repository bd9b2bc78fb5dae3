#!/bin/sh
# scripts/demo.sh — the README's main command: sets up and builds
# (setup.sh), runs the bundled example program under the pprof-agent
# launcher, and shows the profiles it wrote with go tool pprof -top.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
OUT=${PPROF_DEMO_DIR:-$(pwd)/build/demo-profiles}
rm -rf "$OUT"
echo
echo "\$ pprof-agent --dir=$OUT --mem-rate=64k --block-rate=1us --mutex-fraction=10 build/examples/example_app"
build/pprof-agent --dir="$OUT" --mem-rate=64k --block-rate=1us --mutex-fraction=10 \
	build/examples/example_app
echo
ls -l "$OUT"
for kind in heap block mutex threadcreate; do
	f=$(ls "$OUT"/*."$kind".*.pb.gz 2>/dev/null | sort | tail -n 1)
	[ -n "$f" ] || continue
	echo
	echo "\$ go tool pprof -top -nodecount=12 $f"
	HOME=${HOME:-/tmp} go tool pprof -top -nodecount=12 "$f"
done
