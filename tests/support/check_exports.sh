#!/usr/bin/env bash
# check_exports.sh LIB - fails when the shared library exports a symbol that
# is not part of the public API (rt_ prefix, but not the internal rt__).
set -euo pipefail
lib=${1:?usage: check_exports.sh libretort.so}
symbols=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}')
bad=$(printf '%s\n' "$symbols" | grep -v '^rt_' || true)
internal=$(printf '%s\n' "$symbols" | grep '^rt__' || true)
count=$(printf '%s\n' "$symbols" | grep -c '^rt_' || true)
if [ -n "$bad$internal" ]; then
  echo "symbols exported that are not public API:" >&2
  printf '%s\n' $bad $internal >&2
  exit 1
fi
echo "$count symbols exported, all rt_"
