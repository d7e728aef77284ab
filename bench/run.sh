#!/bin/sh
# Runs every benchmark built in BUILD_DIR/bench, then the scripted
# benchmarks bench/*/*.sh (migrations, the ORM workloads, the non-blocking
# API against the blocking one and hand-written libpq, the size of a
# SQLite-only library) (make bench).
#   sh bench/run.sh BUILD_DIR
set -e
build=${1:-build}
dir="$build/bench"
if [ ! -d "$dir" ]; then
	echo "run.sh: no benchmarks in $dir; build first (make build)" >&2
	exit 1
fi
found=0
for exe in "$dir"/bench_*; do
	[ -f "$exe" ] && [ -x "$exe" ] || continue
	found=1
	echo "== $(basename "$exe")"
	"$exe"
done
if [ "$found" = 0 ]; then
	echo "run.sh: no bench_* executables in $dir" >&2
	exit 1
fi
for script in "$(dirname "$0")"/*/*.sh; do
	[ -f "$script" ] || continue
	echo "== $(basename "$script" .sh)"
	bash "$script" "$build"
done
