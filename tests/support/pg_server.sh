#!/usr/bin/env bash
# pg_server.sh - a throwaway PostgreSQL server for the test suite.
#
#   pg_server.sh start DIR PORT   initdb into DIR, listen on 127.0.0.1:PORT
#                                  and a unix socket in DIR only
#   pg_server.sh stop DIR         stop it and delete DIR
#
# initdb and postgres refuse to run as root, so as root the server runs as
# the `postgres` system user. Trust authentication on loopback only.
# RETORT_PG_OPTIONS adds server options (the benchmarks raise
# max_locks_per_transaction: one transaction creates 10,000 tables there).
set -euo pipefail

cmd=${1:?usage: pg_server.sh start|stop DIR [PORT]}
dir=${2:?DIR missing}

pgbin=${RETORT_PG_BIN:-}
if [ -z "$pgbin" ]; then
  # The newest installed version (sort -V: 9.6 comes before 15).
  pgbin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  echo "pg_server.sh: PostgreSQL server binaries (initdb) not found" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  port=${3:?PORT missing}
  # A previous run that was killed may have left a server behind.
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
  as_owner "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100 ${RETORT_PG_OPTIONS:-}" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') started on 127.0.0.1:$port (data in $dir)"
  ;;
stop)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$dir"
  echo "PostgreSQL stopped"
  ;;
*)
  echo "usage: pg_server.sh start|stop DIR [PORT]" >&2
  exit 2
  ;;
esac
