#!/usr/bin/env bash
# bench_orm.sh - issue 4's ORM workloads (bench_orm.c) on SQLite and on
# throwaway PostgreSQL and MariaDB servers (make bench).
#
#   bash bench/orm/bench_orm.sh BUILD_DIR
#
# The PostgreSQL part starts its own server (tests/support/pg_server.sh) and
# stops it at the end, also on failure; BENCH_PG=0 leaves it out. The
# MariaDB part does the same with tests/support/mariadb_server.sh;
# BENCH_MARIADB=0 leaves it out.
# BENCH_RUNS sets the number of runs each median is taken over (default 5).
set -euo pipefail

build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
exe=$build/bench/orm/bench_orm
[ -x "$exe" ] || { echo "bench_orm.sh: $exe is missing; build first" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/retort-bench-orm.XXXXXX")
pg_dir=${TMPDIR:-/tmp}/retort-bench-orm-pg-$$
pg_port=$((30000 + ($$ + 7) % 20000))
my_dir=${TMPDIR:-/tmp}/retort-bench-orm-mariadb-$$
my_port=$((30000 + ($$ + 13) % 20000))
cleanup() {
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    bash "$src/tests/support/pg_server.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  fi
  if [ -d "$my_dir" ]; then
    bash "$src/tests/support/mariadb_server.sh" stop "$my_dir" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
export PYTHONDONTWRITEBYTECODE=1

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) logical CPUs"
"$exe" "sqlite:///$work/bench.db"
# W10 and W11 (bench_queue.c), on the same servers.
queue=$build/bench/orm/bench_queue
[ -x "$queue" ] && "$queue" "sqlite:///$work/queue.db"

if [ "${BENCH_PG:-1}" != 0 ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  # Another server may hold the port: try a few.
  for try in 1 2 3 4 5; do
    bash "$src/tests/support/pg_server.sh" start "$pg_dir" "$pg_port" >/dev/null 2>&1 && break
    [ "$try" = 5 ] && { echo "bench_orm.sh: cannot start PostgreSQL" >&2; exit 1; }
    pg_port=$((pg_port + 101))
  done
  echo
  "$exe" "postgresql://postgres@127.0.0.1:$pg_port/postgres"
  [ -x "$queue" ] && "$queue" "postgresql://postgres@127.0.0.1:$pg_port/postgres"
fi

if [ "${BENCH_MARIADB:-1}" != 0 ] && { command -v mariadbd || [ -x /usr/sbin/mariadbd ]; } >/dev/null &&
   nm "$exe" 2>/dev/null | grep hand_mariadb_run >/dev/null; then
  # (grep -q would stop reading at the first match, nm would die of
  # SIGPIPE, and pipefail would call that a failure: no MariaDB part.)
  # The buffer pool holds the benchmark's tables, as PostgreSQL's shared
  # buffers do.
  for try in 1 2 3 4 5; do
    RETORT_MARIADB_OPTIONS="--innodb-buffer-pool-size=256M" \
      bash "$src/tests/support/mariadb_server.sh" start "$my_dir" "$my_port" >/dev/null 2>&1 && break
    [ "$try" = 5 ] && { echo "bench_orm.sh: cannot start MariaDB" >&2; exit 1; }
    my_port=$((my_port + 101))
  done
  echo
  "$exe" "mysql://retort@127.0.0.1:$my_port/retort"
  [ -x "$queue" ] && "$queue" "mysql://retort@127.0.0.1:$my_port/retort"
fi
