#!/bin/sh
# demo.sh - what `make demo` shows: the example shop schema
# (examples/shop/models.rt) turned into SQL, into tables in a fresh SQLite
# file, read back from that file, and drawn as a diagram.
#
#   sh examples/demo.sh BUILD_DIR
#
# It builds nothing (make does) and writes only inside BUILD_DIR/demo.
set -eu

build=${1:-build}
examples=$(cd "$(dirname "$0")" && pwd)
retort=$(cd "$build" && pwd)/retort
if [ ! -x "$retort" ]; then
  echo "demo.sh: $retort is missing; run make first" >&2
  exit 1
fi

work=$(cd "$build" && pwd)/demo
rm -rf "$work"
mkdir -p "$work"
config=$examples/shop/retort.ini
url=sqlite:///$work/shop.db

shown=${build%/}/demo # how the folder is named in what is printed

step() {
  printf '\n== %s\n' "$*"
}

# Shows the command as a user would type it, then runs it.
run() {
  printf '$ retort'
  for arg in "$@"; do
    case $arg in
      "$config") arg=examples/shop/retort.ini ;;
      "$url") arg=sqlite:///$shown/shop.db ;;
      "$work"/*) arg=$shown/${arg#"$work"/} ;;
    esac
    printf ' %s' "$arg"
  done
  printf '\n'
  "$retort" "$@"
}

step "The models: examples/shop/models.rt"
grep -E '^(model|table|enum|mixin) ' "$examples/shop/models.rt"

step "1. The SQL that creates them, for SQLite"
run -c "$config" --url "$url" sql create

step "2. Create the tables in a fresh SQLite file"
run -c "$config" --url "$url" sql create --execute

step "3. Read the database back (the tables that now exist)"
run -q -c "$config" --url "$url" inspect -o "$work/inspected.rt"
grep -E '^(model|table|enum) ' "$work/inspected.rt"
echo "(the whole schema read back is in $shown/inspected.rt)"

step "4. The diagram, in Mermaid (GitHub renders it inside Markdown)"
run -c "$config" diagram

if command -v dot >/dev/null 2>&1; then
  step "5. The same diagram as an image, through Graphviz"
  run -c "$config" diagram --format svg -o "$work/shop.svg"
else
  step "5. (Graphviz's dot is not installed: no SVG; apt-get install graphviz)"
fi

printf '\nDone: the database is %s/shop.db.\n' "$shown"
