#!/usr/bin/env bash
# install-deps.sh - installs the Debian packages retort needs, only those
# that are missing.
#
#   scripts/install-deps.sh build   what `make` and `make demo` need
#   scripts/install-deps.sh test    also what `make test` needs (PostgreSQL
#                                   server, clang and its sanitizer runtime,
#                                   valgrind, Graphviz, groff and man-db for
#                                   the man page test, for the interop
#                                   test Alembic, SQLAlchemy and psycopg2,
#                                   and PgBouncer for the pooler test,
#                                   MariaDB server and client, and PyMySQL
#                                   for the MariaDB interop test, libuv
#                                   for the libuv adapter's test, wrk
#                                   for the service benchmark)
#
# Run by `make demo` and `make test` before they build, so a fresh Debian
# machine needs nothing done by hand. Installing needs root; anyone else
# gets the apt-get line to run and a non-zero exit.
set -euo pipefail

build_packages=(build-essential cmake ninja-build pkg-config libsqlite3-dev libpq-dev)
build_packages+=(libmariadb-dev)
# the example service (examples/shop-service: HTTP and JSON) and the curl
# session of make demo
build_packages+=(libmicrohttpd-dev libjansson-dev curl)
test_packages=("${build_packages[@]}" clang libclang-rt-14-dev postgresql graphviz
               valgrind sqlite3 groff-base man-db python3-alembic python3-sqlalchemy
               python3-psycopg2 pgbouncer)
test_packages+=(mariadb-server mariadb-client python3-pymysql)
# the libuv adapter's test, and wrk for the service's benchmark
test_packages+=(libuv1-dev wrk)

case "${1:-}" in
  build) packages=("${build_packages[@]}") ;;
  test) packages=("${test_packages[@]}") ;;
  *) echo "usage: install-deps.sh build|test" >&2; exit 2 ;;
esac

installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

if ! command -v dpkg-query >/dev/null; then
  echo "install-deps.sh: not a Debian system; install by hand: ${packages[*]}" >&2
  exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages; as root run:" >&2
  echo "  apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
# The postgresql package may start a system cluster; the tests run their own
# server on their own port, so this one would only take memory.
if [[ " ${missing[*]} " == *" postgresql "* ]]; then
  for cluster in /etc/postgresql/*/main; do
    [ -d "$cluster" ] || continue
    version=$(basename "$(dirname "$cluster")")
    pg_ctlcluster "$version" main stop 2>/dev/null || true
  done
fi
# Likewise MariaDB's system server: the tests start their own in a
# temporary folder.
if [[ " ${missing[*]} " == *" mariadb-server "* ]]; then
  if command -v systemctl >/dev/null; then systemctl stop mariadb 2>/dev/null || true; fi
  if command -v service >/dev/null; then service mariadb stop 2>/dev/null || true; fi
fi
# Likewise the pgbouncer package's own service: the pooler test starts its
# own PgBouncer on a free port.
if [[ " ${missing[*]} " == *" pgbouncer "* ]] && command -v systemctl >/dev/null; then
  systemctl stop pgbouncer 2>/dev/null || true
fi
