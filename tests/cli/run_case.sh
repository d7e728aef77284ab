#!/bin/sh
# run_case.sh - runs one golden case of the `retort` command.
#
#   run_case.sh RETORT CLI_DB CASE.sh [BACKEND]
#
# The case runs with sh in an empty temporary folder, with these variables:
#   RETORT   the retort command under test
#   CLI_DB   the helper for database chores (cli_db.c)
#   SRC      the source tree (examples/shop/...)
#   SHOP     the example program examples/shop/shop.c, built
#   URL URL2 for a case run on a backend: two fresh, empty databases
# Its stdout, stderr and exit status, with the temporary folder written as
# $TMP, the source tree as $SRC and the test servers as postgresql://$PG
# and mysql://$MARIADB,
# must equal CASE.golden (CASE.<backend>.golden for a backend run).
# RETORT_UPDATE_GOLDEN=1 writes the golden file instead.
set -u

retort=$1
cli_db=$2
case_file=$3
backend=${4:-}

# A data-file case (tests/sql_cases) runs one case.sh for many folders: it
# names itself (CASE_NAME, which names its databases) and its golden file.
name=${CASE_NAME:-$(basename "$case_file" .sh)}
golden=${CASE_GOLDEN:-"$(dirname "$case_file")/$name${backend:+.$backend}.golden"}
src=${RETORT_SOURCE_DIR:?RETORT_SOURCE_DIR is not set}
pg_url=${RETORT_PG_URL:-}
pg_base=${pg_url%/*}
mdb_url=${RETORT_MARIADB_URL:-}
mdb_base=${mdb_url%/*}
server_url=$pg_url

tmp=$(mktemp -d "${TMPDIR:-/tmp}/retort-cli-$name.XXXXXX") || exit 1
work=$tmp/work
mkdir "$work" || exit 1
databases=""

cleanup() {
  for db in $databases; do
    "$cli_db" drop "$server_url" "$db" >/dev/null 2>&1
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

URL=""
URL2=""
case $backend in
  "") ;;
  sqlite)
    URL=sqlite:///case.db
    URL2=sqlite:///case2.db
    ;;
  postgresql)
    databases="cli_$name cli_${name}_2"
    for db in $databases; do
      "$cli_db" fresh "$pg_url" "$db" || exit 1
    done
    URL=$pg_base/cli_$name
    URL2=$pg_base/cli_${name}_2
    ;;
  mariadb)
    server_url=$mdb_url
    databases="cli_$name cli_${name}_2"
    for db in $databases; do
      "$cli_db" fresh "$mdb_url" "$db" || exit 1
    done
    URL=$mdb_base/cli_$name
    URL2=$mdb_base/cli_${name}_2
    ;;
  *)
    echo "run_case.sh: unknown backend '$backend'" >&2
    exit 2
    ;;
esac

# The case decides every setting it depends on.
unset RETORT_URL DATABASE_URL
LC_ALL=C
RETORT=$retort
CLI_DB=$cli_db
SRC=$src
BACKEND=$backend
SHOP=${SHOP:-}
CASE_DIR=${CASE_DIR:-}
export LC_ALL RETORT CLI_DB SRC URL URL2 BACKEND SHOP CASE_DIR

(cd "$work" && sh "$case_file") >"$tmp/stdout" 2>"$tmp/stderr"
status=$?

{
  echo "---- exit status: $status"
  echo "---- stdout"
  cat "$tmp/stdout"
  echo "---- stderr"
  cat "$tmp/stderr"
} | sed -e "s|$work|\$TMP|g" -e "s|$src|\$SRC|g" \
        -e "s|${pg_base:-(no test server)}|postgresql://\$PG|g" \
        -e "s|${mdb_base:-(no test server)}|mysql://\$MARIADB|g" \
        -e "s|${SHOP:-(no shop)}|\$SHOP|g" >"$tmp/actual"

if [ "${RETORT_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$tmp/actual" "$golden" && echo "wrote $golden"
  exit $?
fi
if [ ! -f "$golden" ]; then
  echo "run_case.sh: $golden is missing (RETORT_UPDATE_GOLDEN=1 writes it); the output was:" >&2
  cat "$tmp/actual" >&2
  exit 1
fi
if ! diff -u "$golden" "$tmp/actual"; then
  echo "run_case.sh: $name${backend:+ on $backend}: the output differs from $golden" >&2
  exit 1
fi
echo "$name${backend:+ on $backend}: output matches $(basename "$golden")"
