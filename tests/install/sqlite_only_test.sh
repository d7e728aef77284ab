#!/usr/bin/env bash
# sqlite_only_test.sh - configures and builds retort with only the SQLite
# backend (the other backends' options off, no tests), then runs
# install_test.sh on that build: a program built against a SQLite-only
# install works, and nothing installed needs another backend's driver
# (INSTALL_ABSENT, from tests/install/CMakeLists.txt).
#
#   sqlite_only_test.sh SOURCE_DIR WORK_DIR LIBDIR CC CFLAGS CMAKE_OPTIONS
set -euo pipefail

src=${1:?usage: sqlite_only_test.sh SOURCE_DIR WORK_DIR LIBDIR CC CFLAGS CMAKE_OPTIONS}
work=${2:?WORK_DIR missing}
libdir=${3:?LIBDIR missing}
cc=${4:?CC missing}
cflags=${5:-}
read -r -a options <<<"${6:-}"
here=$(cd "$(dirname "$0")" && pwd)
build=$work/build

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
mkdir -p "$work"
echo "== configure a SQLite-only build: ${options[*]}"
cmake -S "$src" -B "$build" "${generator[@]}" "${options[@]}" >"$work/configure.log" 2>&1 || {
  cat "$work/configure.log" >&2; echo "sqlite-only: configuring failed" >&2; exit 1; }
grep -- '-- retort backends:' "$work/configure.log"
echo "== build it"
nice cmake --build "$build" -j 2 >"$work/build.log" 2>&1 || {
  tail -n 50 "$work/build.log" >&2; echo "sqlite-only: building failed" >&2; exit 1; }
"$here/install_test.sh" "$build" "$work/install" "$libdir" "$cc" "$cflags"
