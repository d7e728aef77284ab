# common.sh - what the embedded-migration tests share, sourced by
# embed_test.sh and async_test.sh with $name set to the test's name: the
# arguments, fail and expect, a fresh work folder, and $url, a fresh
# database of the backend (dropped at exit on a server).

retort=$1
cli_db=$2
source_dir=$3
work=$4
backend=$5
cc=$6
cflags=$7
libs=$8

fail() {
  echo "$name ($backend): $*" >&2
  exit 1
}

# expect WHAT ACTUAL EXPECTED
expect() {
  if [ "$2" != "$3" ]; then
    printf '%s (%s): %s:\n--- expected\n%s\n--- actual\n%s\n' "$name" "$backend" "$1" "$3" "$2" >&2
    exit 1
  fi
  echo "ok: $1"
}

rm -rf "$work" && mkdir -p "$work" && cd "$work" || fail "cannot make $work"

case $backend in
  sqlite)
    url="sqlite:///$work/app.db"
    ;;
  postgresql)
    pg_url=${RETORT_PG_URL:?RETORT_PG_URL is not set}
    "$cli_db" fresh "$pg_url" retort_$name || fail "cannot create the database"
    trap '"$cli_db" drop "$pg_url" retort_$name >/dev/null 2>&1' EXIT
    url="${pg_url%/*}/retort_$name"
    ;;
  mariadb)
    mdb_url=${RETORT_MARIADB_URL:?RETORT_MARIADB_URL is not set}
    "$cli_db" fresh "$mdb_url" retort_$name || fail "cannot create the database"
    trap '"$cli_db" drop "$mdb_url" retort_$name >/dev/null 2>&1' EXIT
    url="${mdb_url%/*}/retort_$name"
    ;;
  *) fail "unknown backend '$backend'" ;;
esac
