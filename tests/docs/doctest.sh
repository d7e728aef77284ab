#!/usr/bin/env bash
# doctest.sh - runs the commands a Markdown page shows and compares their
# output with what the page shows, so that the page cannot go stale.
#
#   doctest.sh PAGE.md sqlite|postgresql BUILD_DIR [CC [CFLAGS]]
#
# The markup (docs/tutorial.md and README.md use it):
#
#   ```console            a terminal session: each line starting with "$ "
#   $ retort current      is a command (a line ending in "\" continues it);
#   9d2ca6139e39 (head)   the lines up to the next command or the end of the
#   ```                   block are its output, stdout and stderr together.
#
#   ```c file=hello.c     any block with file=PATH: the reader saves it as
#   ...                   PATH (in the session's current folder), and so
#   ```                   does the test, before the next command runs.
#
#   A word "sqlite" or "postgresql" in a block's info string (```console
#   postgresql) keeps the block to that backend's run; other blocks run in
#   both. A line <!-- doctest: skip (reason) --> right before a block leaves
#   it out (installing packages, `make`). Every other sh/bash/shell block is
#   an error: a page shows no command that the test does not run.
#
# The commands run in order, in one bash session (cd and export carry on),
# with HOME a fresh folder that holds ~/retort, a copy of the repository's
# examples/ with build/ linking to BUILD_DIR, and BUILD_DIR on PATH;
# `cc` compiles against retort installed from BUILD_DIR into a temporary
# prefix (PKG_CONFIG_PATH, LD_LIBRARY_PATH). The page runs in ~/retort.
# A command that exits non-zero fails the test unless the next command shown
# is `echo $?`, which then prints its status.
#
# Before comparing, both sides are normalised: durations "(1.2 ms)" become
# "(N ms)", dates and times "2024-09-14 16:38:00" become "YYYY-MM-DD
# hh:mm:ss". On PostgreSQL the page's localhost:5432 is the test server
# (RETORT_PG_URL), in the commands and back in the output; the databases the
# page uses (shop, and any created with CREATE DATABASE) are dropped first.
#
# Exit status 0 when every command ran and printed what the page shows.
set -uo pipefail

page=${1:?usage: doctest.sh PAGE.md sqlite|postgresql BUILD_DIR [CC [CFLAGS]]}
backend=${2:?backend missing}
build=$(cd "${3:?BUILD_DIR missing}" && pwd) || exit 2
cc=${4:-cc}
cflags=${5:-}
src=${RETORT_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
here=$(cd "$(dirname "$0")" && pwd)
page=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
name=$(basename "$page" .md)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/retort-doctest-$name.XXXXXX") || exit 1
keep=${DOCTEST_KEEP:-}
pg_url=${RETORT_PG_URL:-}
cli_db=${CLI_DB:-}
databases=""
cleanup() {
  for db in $databases; do
    "$cli_db" drop "$pg_url" "$db" >/dev/null 2>&1
  done
  [ -n "$keep" ] && echo "doctest: the session is kept in $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

# The page's address of the database server, and the test server's.
shown_server=localhost:5432
real_server=$shown_server
if [ "$backend" = postgresql ]; then
  [ -n "$pg_url" ] || { echo "doctest: RETORT_PG_URL is not set" >&2; exit 1; }
  [ -x "$cli_db" ] || { echo "doctest: CLI_DB is not set" >&2; exit 1; }
  real_server=${pg_url#*@}
  real_server=${real_server%%/*}
fi

# ---- the page, cut into commands, outputs and files
parts=$tmp/parts
mkdir -p "$parts"
awk -v backend="$backend" -v parts="$parts" -v from="$shown_server" -v to="$real_server" \
    -f "$here/doctest_parse.awk" "$page" || exit 1
count=$(cat "$parts/count")
if [ "$count" = 0 ]; then
  echo "doctest: $page shows no command for $backend" >&2
  exit 1
fi

# ---- the session's world
home=$tmp/home
root=$home/retort
mkdir -p "$root" "$tmp/out"
cp -R "$src/examples" "$root/examples"
rm -f "$root"/examples/shop/*.db
ln -s "$build" "$root/build"
prefix=$tmp/prefix
if grep -q 'pkg-config' "$parts"/cmd.* 2>/dev/null; then
  cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 || {
    cat "$tmp/install.log" >&2; echo "doctest: cmake --install failed" >&2; exit 1; }
fi
if [ "$backend" = postgresql ]; then
  # The databases the page makes, dropped before and after.
  databases=$(sed -n 's/.*CREATE DATABASE \([a-z_0-9]*\).*/\1/p' "$parts"/cmd.* | sort -u)
  for db in shop $databases; do
    "$cli_db" drop "$pg_url" "$db" >/dev/null || exit 1
  done
  databases="shop $databases"
fi

{
  echo "cd '$root' || exit 1"
  echo "cc() { command $cc $cflags \"\$@\"; }"
  echo "__st=0"
  cat "$parts/session.sh"
} >"$tmp/session.sh"

env -i HOME="$home" PATH="$build:$prefix/bin:/usr/local/bin:/usr/bin:/bin" \
  LC_ALL=C TERM=dumb TMPDIR="${TMPDIR:-/tmp}" \
  PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/$(gcc -print-multiarch 2>/dev/null)/pkgconfig" \
  LD_LIBRARY_PATH="$prefix/lib:$prefix/lib/$(gcc -print-multiarch 2>/dev/null)" \
  ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
  OUT="$tmp/out" bash "$tmp/session.sh" </dev/null >"$tmp/session.log" 2>&1

# ---- compare
normalise() {
  awk -v from="$real_server" -v to="$shown_server" -v home="$home" -f "$here/doctest_normalise.awk" "$@"
}
failures=0
for ((i = 1; i <= count; i++)); do
  line=$(cat "$parts/line.$i")
  command=$(cat "$parts/cmd.$i")
  status=$(cat "$tmp/out/$i.status" 2>/dev/null || echo "(did not run)")
  normalise "$parts/exp.$i" >"$tmp/expected"
  normalise "$tmp/out/$i.out" >"$tmp/stdout" 2>/dev/null
  normalise "$tmp/out/$i.err" >"$tmp/stderr" 2>/dev/null
  problem=""
  if [ "$status" != 0 ]; then
    next=$(cat "$parts/cmd.$((i + 1))" 2>/dev/null)
    [ "$next" = 'echo $?' ] && [ "$status" != "(did not run)" ] || problem="it exited with status $status"
  fi
  if ! awk -f "$here/doctest_match.awk" "$tmp/expected" "$tmp/stdout" "$tmp/stderr" >"$tmp/why"; then
    problem="${problem:+$problem; }its output differs from the page"
  fi
  if [ -n "$problem" ]; then
    failures=$((failures + 1))
    echo "FAIL $(basename "$page"):$line: \$ $command"
    echo "  $problem"
    sed 's/^/  /' "$tmp/why"
    echo "  -- the page shows:"
    sed 's/^/  | /' "$tmp/expected"
    echo "  -- stdout:"
    sed 's/^/  | /' "$tmp/stdout"
    echo "  -- stderr:"
    sed 's/^/  | /' "$tmp/stderr"
  fi
done
if [ -s "$tmp/session.log" ]; then
  echo "-- the session itself printed (a broken file block?):"
  cat "$tmp/session.log"
  failures=$((failures + 1))
fi
if [ $failures -gt 0 ]; then
  echo "$(basename "$page") on $backend: $failures of $count commands differ from the page"
  exit 1
fi
echo "$(basename "$page") on $backend: all $count commands print what the page shows"
