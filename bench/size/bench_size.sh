#!/usr/bin/env bash
# bench_size.sh - what retort adds to a program that only uses SQLite: the
# size of libretort.so built with the SQLite backend alone, next to
# libsqlite3.so's and to the library with every backend of BUILD_DIR.
#
#   bench/size/bench_size.sh BUILD_DIR      (bench/run.sh runs it)
#
# The SQLite-only library is configured and built (BUILD_DIR's build type,
# no tests) in BUILD_DIR/bench/sqlite-only. Sizes are of files stripped of symbols and
# debug information (strip --strip-unneeded, as a distribution ships them),
# so the figures compare like with like.
set -euo pipefail

build=${1:?usage: bench_size.sh BUILD_DIR}
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$build/bench/sqlite-only
mkdir -p "$work"

# Every backend's option off but SQLite's, from the list CMake keeps.
options=(-DRETORT_WITH_SQLITE=ON)
while IFS= read -r option; do
  [ "$option" = RETORT_WITH_SQLITE ] || options+=("-D$option=OFF")
done < <(sed -n 's/^\(RETORT_WITH_[A-Z0-9_]*\):BOOL=.*/\1/p' "$build/CMakeCache.txt")

build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$src" -B "$work" "${generator[@]}" -DCMAKE_BUILD_TYPE="${build_type:-RelWithDebInfo}" -DRETORT_TESTS=OFF \
  "${options[@]}" >"$work.configure.log" 2>&1 || {
  cat "$work.configure.log" >&2; echo "bench_size: configuring failed" >&2; exit 1; }
cmake --build "$work" --target retort_shared -j 2 >"$work.build.log" 2>&1 || {
  tail -n 30 "$work.build.log" >&2; echo "bench_size: building failed" >&2; exit 1; }

# The size of a stripped copy of a library, in bytes.
stripped_size() {
  local copy
  copy=$(mktemp)
  cp "$1" "$copy"
  strip --strip-unneeded "$copy"
  stat -c %s "$copy"
  rm -f "$copy"
}

human() { # bytes
  awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.1f MiB", b / 1048576;
                         else printf "%d KiB", (b + 512) / 1024 }'
}

sqlite_lib=$(readlink -f "$(pkg-config --variable=libdir sqlite3)/libsqlite3.so")
only=$(stripped_size "$(readlink -f "$work/libretort.so")")
full=$(stripped_size "$(readlink -f "$build/libretort.so")")
lite=$(stripped_size "$sqlite_lib")
backends=$(sed -n 's/^-- retort backends: //p' "$work.configure.log")
echo "libretort.so ($backends only) $(human "$only"); libsqlite3.so $(human "$lite")" \
     "(ratio $(awk -v a="$only" -v b="$lite" 'BEGIN { printf "%.2f", a / b }'))"
echo "libretort.so (this build: $(sed -n 's/^RETORT_WITH_\([A-Z0-9_]*\):BOOL=ON$/\1/p' \
     "$build/CMakeCache.txt" | tr 'A-Z\n' 'a-z ' | sed 's/ $//;s/ /, /g')) $(human "$full")"
