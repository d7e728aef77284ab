#!/usr/bin/env bash
# bench_async.sh - the non-blocking API's benchmark (bench_async.c) on a
# throwaway PostgreSQL server (make bench): 10,000 gets by key, async with
# 64 in flight against the blocking API and a hand-written libpq pipeline.
#
#   bash bench/async/bench_async.sh BUILD_DIR
#
# BENCH_PG=0 leaves it out; BENCH_RUNS sets the runs each median is taken
# over (default 5); BENCH_POOL the connections (default 4).
set -euo pipefail

build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
exe=$build/bench/async/bench_async
[ -x "$exe" ] || { echo "bench_async.sh: $exe is missing; build first" >&2; exit 1; }
if [ "${BENCH_PG:-1}" = 0 ] || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "bench_async.sh: no PostgreSQL server to start; skipped"
  exit 0
fi

pg_dir=${TMPDIR:-/tmp}/retort-bench-async-pg-$$
pg_port=$((30000 + ($$ + 17) % 20000))
cleanup() {
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    bash "$src/tests/support/pg_server.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

# Another server may hold the port: try a few.
for try in 1 2 3 4 5; do
  bash "$src/tests/support/pg_server.sh" start "$pg_dir" "$pg_port" >/dev/null 2>&1 && break
  [ "$try" = 5 ] && { echo "bench_async.sh: cannot start PostgreSQL" >&2; exit 1; }
  pg_port=$((pg_port + 101))
done
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) logical CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$exe" "postgresql://postgres@127.0.0.1:$pg_port/postgres"
