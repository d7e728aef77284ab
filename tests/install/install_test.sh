#!/usr/bin/env bash
# install_test.sh - installs the build into a throwaway prefix (checking
# the files, the man pages and the bash completion script included) and
# builds a user's program against it, the two ways users do:
#   1. CMake: find_package(retort), linking retort::retort and
#      retort::retort_static, and retort_generate() making C code from a
#      schema with the installed retort (made again when a file the schema
#      includes changes);
#   2. pkg-config: `pkg-config --cflags --libs retort` (shared), and
#      `--static` with libretort.a (checks Libs.private / Requires.private).
# Each program is run: it queries an in-memory SQLite database and prints
# the library's version.
#
# The build's backends decide what the install may need: INSTALL_REQUIRES
# lists the pkg-config modules Requires.private must name (the drivers of
# the backends built in), INSTALL_ABSENT those of the backends left out,
# which neither the package files nor libretort.so nor the programs built
# on it may need.
#
#   install_test.sh BUILD_DIR WORK_DIR LIBDIR CC [CFLAGS]
set -euo pipefail

build=${1:?usage: install_test.sh BUILD_DIR WORK_DIR LIBDIR CC [CFLAGS]}
work=${2:?WORK_DIR missing}
libdir=${3:?LIBDIR missing}
cc=${4:?CC missing}
cflags=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
prefix=$work/prefix

fail() { echo "install test: $*" >&2; exit 1; }

step() { echo "== $*"; }

rm -rf "$work"
mkdir -p "$work"

step "install into $prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" || {
  cat "$work/install.log" >&2; fail "cmake --install failed"; }
for f in "$libdir/libretort.a" "$libdir/libretort.so" "$libdir/libretort.so.0" \
         include/retort.h include/retort/common.h include/retort/schema.h \
         include/retort/engine.h "$libdir/pkgconfig/retort.pc" \
         "$libdir/cmake/retort/retortConfig.cmake" \
         "$libdir/cmake/retort/retortConfigVersion.cmake" \
         "$libdir/cmake/retort/RetortGenerate.cmake" \
         "$libdir/cmake/retort/retortTargets.cmake"; do
  [ -e "$prefix/$f" ] || fail "$f was not installed"
done
if [ -x "$build/retort" ]; then
  [ -x "$prefix/bin/retort" ] || fail "bin/retort was not installed"
  "$prefix/bin/retort" --version

  step "man pages and bash completion"
  # A page for retort and one for each command it lists, where man finds
  # them; the completion script where bash-completion looks for it.
  commands=$("$prefix/bin/retort" --help | sed -n '/^commands:$/,/^$/s/^  \([a-z-]*\) .*/\1/p')
  [ -n "$commands" ] || fail "retort --help lists no commands"
  for page in retort $(printf 'retort-%s ' $commands); do
    [ -f "$prefix/share/man/man1/$page.1" ] || fail "share/man/man1/$page.1 was not installed"
  done
  if command -v man >/dev/null; then
    found=$(MANPATH="$prefix/share/man" man -w retort-upgrade) ||
      fail "man -w retort-upgrade does not find the installed page"
    [ "$found" = "$prefix/share/man/man1/retort-upgrade.1" ] ||
      fail "man -w retort-upgrade found $found"
    echo "man -w retort-upgrade: $found"
  fi
  completion=$prefix/share/bash-completion/completions/retort
  [ -f "$completion" ] || fail "share/bash-completion/completions/retort was not installed"
  bash -c 'source "$1" && complete -p retort' _ "$completion" ||
    fail "the installed completion script does not register retort"
fi
# Only public headers are installed.
extra=$(cd "$prefix/include" && find . -type f ! -name 'retort.h' ! -path './retort/*.h')
[ -z "$extra" ] || fail "unexpected files in include/: $extra"

expected="retort $(sed -n 's/^Version: //p' "$prefix/$libdir/pkgconfig/retort.pc")"

check_output() { # program
  local out
  out=$("$@") || fail "$1 exited with status $?"
  printf '%s\n' "$out"
  grep -qx "$expected" <<<"$out" || fail "$1 did not print \"$expected\""
  grep -qx "SELECT 1 + 41 = 42" <<<"$out" || fail "$1 did not print the query's result"
}

step "find_package(retort)"
# A copy of the project: the test edits its schema.
cp -R "$here/consumer" "$work/consumer"
cmake -S "$work/consumer" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="$cflags" -DCMAKE_BUILD_TYPE=Debug \
  >"$work/cmake-configure.log" 2>&1 || {
  cat "$work/cmake-configure.log" >&2; fail "configuring the consumer failed"; }
cmake --build "$work/cmake" >"$work/cmake-build.log" 2>&1 || {
  cat "$work/cmake-build.log" >&2; fail "building the consumer failed"; }
# The shared build must really load the installed library, the static one
# no libretort at all. (ldd's output is captured first: grep -q stopping
# early would kill ldd with SIGPIPE and pipefail would count that.)
deps=$(ldd "$work/cmake/consumer_shared")
grep -q "$prefix/$libdir/libretort.so" <<<"$deps" ||
  fail "consumer_shared does not load $prefix/$libdir/libretort.so"
check_output "$work/cmake/consumer_shared"
deps=$(ldd "$work/cmake/consumer_static")
if grep -q libretort <<<"$deps"; then
  fail "consumer_static depends on libretort.so"
fi
check_output "$work/cmake/consumer_static"

step "retort_generate()"
models=$("$work/cmake/consumer_models") || fail "consumer_models exited with status $?"
printf '%s\n' "$models"
grep -qx "2 models" <<<"$models" || fail "consumer_models did not print \"2 models\""
grep -qx "Note (notes): id author_id text" <<<"$models" ||
  fail "consumer_models did not list the columns of Note"
# A model added in the included file: the next build makes the code again.
printf '\nmodel Tag {\n  id     bigint      primary key\n  label  string(20)\n}\n' \
  >>"$work/consumer/notes.rt"
cmake --build "$work/cmake" >"$work/cmake-rebuild.log" 2>&1 || {
  cat "$work/cmake-rebuild.log" >&2; fail "rebuilding the consumer failed"; }
models=$("$work/cmake/consumer_models") || fail "consumer_models exited with status $?"
printf '%s\n' "$models"
grep -qx "3 models" <<<"$models" ||
  fail "editing a file the schema includes did not regenerate the code"

step "pkg-config retort"
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
pkg-config --exists --print-errors retort
read -r -a pc_cflags <<<"$(pkg-config --cflags retort)"
read -r -a pc_libs <<<"$(pkg-config --libs retort)"
echo "cflags: ${pc_cflags[*]}"
echo "libs: ${pc_libs[*]}"
read -r -a extra_flags <<<"$cflags"
"$cc" "${extra_flags[@]}" "${pc_cflags[@]}" "$here/consumer/consumer.c" \
  -o "$work/pc_shared" "${pc_libs[@]}" || fail "building with pkg-config --libs failed"
LD_LIBRARY_PATH="$prefix/$libdir" check_output "$work/pc_shared"
# Static: libretort.a by path, then what retort.pc declares private: its
# Libs.private and its Requires.private packages. (The packages are linked
# shared: Debian's libpq.pc lists static archives it does not ship.)
private_libs=$(sed -n 's/^Libs.private: //p' "$prefix/$libdir/pkgconfig/retort.pc")
read -r -a requires <<<"$(pkg-config --print-requires-private retort | awk '{print $1}' | tr '\n' ' ')"
echo "requires.private: ${requires[*]}"
for pkg in ${INSTALL_REQUIRES:?INSTALL_REQUIRES is not set}; do
  [[ " ${requires[*]} " == *" $pkg "* ]] || fail "Requires.private lacks $pkg"
done
for pkg in ${INSTALL_ABSENT:-}; do
  [[ " ${requires[*]} " != *" $pkg "* ]] || fail "Requires.private names $pkg"
done
read -r -a static_deps <<<"$private_libs $(pkg-config --libs "${requires[@]}")"
"$cc" "${extra_flags[@]}" "${pc_cflags[@]}" "$here/consumer/consumer.c" \
  -o "$work/pc_static" "$prefix/$libdir/libretort.a" "${static_deps[@]}" ||
  fail "building with libretort.a and the private dependencies failed"
check_output "$work/pc_static"

step "no driver of a backend left out"
# A backend left out is needed by nothing installed: not the library (its
# DT_NEEDED entries), not the package files, not the programs built on it.
needed=$(readelf -d "$prefix/$libdir/libretort.so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
echo "libretort.so needs:" $needed
for pkg in ${INSTALL_ABSENT:-}; do
  # The module's library names (libpq: pq); the module's own name, less a
  # "lib", where pkg-config does not know it.
  names=$(pkg-config --libs-only-l "$pkg" 2>/dev/null | sed 's/-l//g') || true
  [ -n "$names" ] || names=${pkg#lib}
  for name in $names; do
    ! grep -q "^lib$name\.so" <<<"$needed" || fail "libretort.so needs lib$name ($pkg)"
    for program in "$work/cmake/consumer_shared" "$work/cmake/consumer_static" \
                   "$work/pc_shared" "$work/pc_static"; do
      deps=$(LD_LIBRARY_PATH="$prefix/$libdir" ldd "$program")
      ! grep -q "lib$name\.so" <<<"$deps" || fail "$(basename "$program") needs lib$name ($pkg)"
    done
  done
  ! grep -q "$pkg" "$prefix/$libdir/cmake/retort/retortConfig.cmake" ||
    fail "retortConfig.cmake looks for $pkg"
  echo "$pkg: needed by nothing installed"
done

rm -rf "$work"
echo "install test passed"
