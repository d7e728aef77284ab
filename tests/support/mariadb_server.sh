#!/usr/bin/env bash
# mariadb_server.sh - a throwaway MariaDB server for the test suite.
#
#   mariadb_server.sh start DIR PORT   mariadb-install-db into DIR, listen on
#                                       127.0.0.1:PORT and the unix socket
#                                       DIR/sock only
#   mariadb_server.sh stop DIR         stop it and delete DIR
#
# The tests connect as user `retort` (no password) to database `retort`:
#   mysql://retort@127.0.0.1:PORT/retort
# mariadbd refuses to run as root, so as root it runs as the `mysql` system
# user. The server is tuned to start fast and write little: a small buffer
# pool and redo log, no binary log, no fsync at each commit, no DNS.
# RETORT_MARIADB_OPTIONS adds server options.
set -euo pipefail

cmd=${1:?usage: mariadb_server.sh start|stop DIR [PORT]}
dir=${2:?DIR missing}

for tool in mariadb-install-db mariadbd mariadb-admin mariadb; do
  if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
    echo "mariadb_server.sh: $tool not found (Debian: mariadb-server, mariadb-client)" >&2
    exit 1
  fi
done
mariadbd=$(command -v mariadbd || echo /usr/sbin/mariadbd)

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u mysql -- "$@"; else "$@"; fi
}

# As root (the server runs as mysql) root connects by unix socket through
# unix_socket authentication; otherwise as the user who ran install-db.
admin_user() {
  if [ "$(id -u)" = 0 ]; then echo root; else id -un; fi
}

stop_server() {
  if [ -S "$dir/sock" ]; then
    mariadb-admin --no-defaults --socket="$dir/sock" --user="$(admin_user)" \
      shutdown >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/mariadbd.pid" ]; then
    pid=$(cat "$dir/mariadbd.pid" 2>/dev/null || true)
    # Waits for the shutdown; a server that does not stop is killed.
    for _ in $(seq 1 100); do
      [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
}

case "$cmd" in
start)
  port=${3:?PORT missing}
  # A previous run that was killed may have left a server behind.
  stop_server
  rm -rf "$dir"
  # Its temporary files in its own folder: /tmp is shared with other
  # programs, and one that clears it made queries on information_schema
  # fail ("Error on delete of '/tmp/#sql-temptable-...'").
  mkdir -p "$dir/tmp"
  if [ "$(id -u)" = 0 ]; then chown mysql "$dir" "$dir/tmp"; fi
  as_owner mariadb-install-db --no-defaults --datadir="$dir/data" \
    --auth-root-authentication-method=socket --skip-test-db \
    >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
  # The open-files limit raised to what the system allows, as the packaged
  # service's unit does (LimitNOFILE): at the login default of 1024 the
  # server shrinks its table cache to about 400 tables, far below its own
  # default of 2,000, and a benchmark over thousands of tables would
  # measure that shrinking.
  as_owner sh -c 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"' \
    "$mariadbd" --no-defaults --datadir="$dir/data" --socket="$dir/sock" \
    --pid-file="$dir/mariadbd.pid" --tmpdir="$dir/tmp" --port="$port" --bind-address=127.0.0.1 \
    --skip-name-resolve --skip-log-bin --log-error="$dir/server.log" \
    --innodb-buffer-pool-size=32M --innodb-log-file-size=16M \
    --innodb-flush-log-at-trx-commit=2 --innodb-doublewrite=0 --innodb-flush-method=nosync \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --max-connections=200 --performance-schema=OFF ${RETORT_MARIADB_OPTIONS:-} \
    >/dev/null 2>&1 </dev/null &
  for _ in $(seq 1 300); do
    if mariadb-admin --no-defaults --socket="$dir/sock" --user="$(admin_user)" \
         ping >/dev/null 2>&1; then
      ready=1
      break
    fi
    sleep 0.1
  done
  if [ -z "${ready:-}" ]; then
    cat "$dir/server.log" >&2 || true
    stop_server
    exit 1
  fi
  mariadb --no-defaults --socket="$dir/sock" --user="$(admin_user)" <<'SQL'
CREATE USER 'retort'@'localhost';
CREATE USER 'retort'@'127.0.0.1';
CREATE DATABASE retort CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
GRANT ALL ON *.* TO 'retort'@'localhost' WITH GRANT OPTION;
GRANT ALL ON *.* TO 'retort'@'127.0.0.1' WITH GRANT OPTION;
SQL
  echo "MariaDB $("$mariadbd" --version | awk '{print $3}') started on 127.0.0.1:$port (data in $dir)"
  echo "mysql://retort@127.0.0.1:$port/retort"
  ;;
stop)
  stop_server
  rm -rf "$dir"
  echo "MariaDB stopped"
  ;;
*)
  echo "usage: mariadb_server.sh start|stop DIR [PORT]" >&2
  exit 2
  ;;
esac
