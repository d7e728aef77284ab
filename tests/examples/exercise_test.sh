#!/usr/bin/env bash
# exercise_test.sh - the example exercise, judged: runs what `make demo`
# runs (examples/demo.sh) on a fresh database, then asserts each point the
# exercise is judged by, on the database the demo leaves:
#   1. the structure is described and the diagram exists: examples/shop/shop.svg
#      and the Mermaid diagram of examples/shop/README.md are what `retort
#      diagram` draws from models.rt today;
#   2. every table of the database has a model (or is the association table
#      of a many-to-many relationship, or the migrations' own);
#   3. migrations/versions/ holds scripts with a non-empty upgrade and
#      downgrade, and together they create every table;
#   4. alembic_version holds the applied head: `retort heads` = the stored
#      row = `retort current`;
#   5. the tables were created by the migrations: retort_history records the
#      first revision's upgrade, `retort check` finds no difference from
#      models.rt, and the database equals a fresh one made by `upgrade head`.
#
#   exercise_test.sh BIN_DIR CLI_DB EXERCISE_TABLES sqlite|postgresql|mariadb WORK_DIR
#
# BIN_DIR holds retort and shop (the build folder). On PostgreSQL the
# databases exercise and exercise_2 are made on the server at RETORT_PG_URL
# (and dropped at the end).
set -uo pipefail

bin=${1:?usage: exercise_test.sh BIN_DIR CLI_DB EXERCISE_TABLES sqlite|postgresql|mariadb WORK_DIR}
cli_db=${2:?CLI_DB missing}
exercise_tables=${3:?EXERCISE_TABLES missing}
backend=${4:?backend missing}
work=${5:?WORK_DIR missing}
src=${RETORT_SOURCE_DIR:?RETORT_SOURCE_DIR is not set}
shop_dir=$src/examples/shop
unset RETORT_URL DATABASE_URL

rm -rf "$work" && mkdir -p "$work/demo" || exit 1
case $backend in
  sqlite)
    url=sqlite:///$work/demo/shop.db
    url2=sqlite:///$work/fresh.db
    ;;
  postgresql)
    pg=${RETORT_PG_URL:?RETORT_PG_URL is not set}
    "$cli_db" fresh "$pg" exercise || exit 1
    "$cli_db" fresh "$pg" exercise_2 || exit 1
    url=${pg%/*}/exercise
    url2=${pg%/*}/exercise_2
    trap '"$cli_db" drop "$pg" exercise; "$cli_db" drop "$pg" exercise_2' EXIT
    ;;
  mariadb)
    mdb=${RETORT_MARIADB_URL:?RETORT_MARIADB_URL is not set}
    "$cli_db" fresh "$mdb" exercise || exit 1
    "$cli_db" fresh "$mdb" exercise_2 || exit 1
    url=${mdb%/*}/exercise
    url2=${mdb%/*}/exercise_2
    trap '"$cli_db" drop "$mdb" exercise; "$cli_db" drop "$mdb" exercise_2' EXIT
    ;;
  *)
    echo "exercise_test.sh: unknown backend '$backend'" >&2
    exit 2
    ;;
esac

failures=0
ok() { echo "ok - $*"; }
fail() {
  echo "FAIL - $*"
  failures=$((failures + 1))
}
retort() { "$bin/retort" -c "$shop_dir/retort.ini" "$@"; }

echo "== make demo's script on $backend"
demo_env=(DEMO_DIR="$work/demo")
[ "$backend" != sqlite ] && demo_env+=(DATABASE_URL="$url")
if env "${demo_env[@]}" bash "$src/examples/demo.sh" "$bin" >"$work/demo.log" 2>&1; then
  ok "examples/demo.sh ran to the end ($(tail -n 1 "$work/demo.log"))"
else
  cat "$work/demo.log"
  fail "examples/demo.sh failed"
  exit 1
fi
# The session used every relationship, and the bad input was refused; the
# service answered its curl session (a 409 and a 404 among it) and stopped.
for expected in "added user ada (id 1)" "added post 1 \"Notes on the engine\" by ada" \
                "ada's cart 1: added desk" "ada's cart 3: added chair" "cart 1 (paid):" \
                "shop: add product: the price must not be negative" \
                "deleted user grace with the profile, posts and carts" \
                "  alembic_version      1 row  version_num = " \
                "shop-service: listening on http://127.0.0.1:" '"constraint":"uq_users_username"}' \
                "(HTTP 409)" '{"error":"read user: no User with id = 999999"}' "(HTTP 404)" \
                "shop-service: stopped"; do
  grep -qF -- "$expected" "$work/demo.log" || fail "the demo did not print: $expected"
done
export DATABASE_URL=$url

echo "== 1. the structure is described, and the diagram exists and matches the models"
[ -s "$shop_dir/models.rt" ] && ok "examples/shop/models.rt describes the structure" ||
  fail "examples/shop/models.rt is missing"
# The words of an SVG: table, model, column and type names, edge labels.
svg_words() { sed -n 's/.*<text[^>]*>\([^<]*\)<\/text>.*/\1/p' "$1"; }
if [ ! -s "$shop_dir/shop.svg" ]; then
  fail "examples/shop/shop.svg is missing"
elif ! retort -q diagram --format svg -o "$work/shop.svg"; then
  fail "retort diagram --format svg failed (is Graphviz installed?)"
elif ! diff <(svg_words "$shop_dir/shop.svg") <(svg_words "$work/shop.svg"); then
  fail "examples/shop/shop.svg does not show models.rt (retort -c examples/shop/retort.ini diagram -o examples/shop/shop.svg redraws it)"
else
  ok "examples/shop/shop.svg shows the $(svg_words "$work/shop.svg" | wc -l) names retort diagram draws for models.rt"
fi
if sh "$src/tests/cli/check_readme_diagram.sh" "$bin/retort" "$shop_dir" >"$work/readme.log" 2>&1; then
  ok "the Mermaid diagram in examples/shop/README.md is current"
else
  cat "$work/readme.log"
  fail "the Mermaid diagram in examples/shop/README.md is out of date"
fi

echo "== 2. every table of the database has a model"
if "$exercise_tables" "$shop_dir/models.rt" "$url" >"$work/tables.log" 2>&1; then
  sed 's/^/   /' "$work/tables.log"
  ok "every table is a model's, the association table, or the migrations' own"
else
  cat "$work/tables.log"
  fail "a table of the database has no model"
fi

echo "== 3. versions/ holds scripts with a non-empty upgrade and downgrade that create the tables"
# The lines inside a block ("upgrade {" ... "}") that hold an operation.
block_lines() { # block file
  awk -v block="$1" '
    $0 == block " {" { inside = 1; next }
    inside && $0 == "}" { inside = 0; next }
    inside && $0 !~ /^[ \t]*(#.*)?$/ { n++ }
    END { print n + 0 }' "$2"
}
scripts=("$shop_dir"/migrations/versions/*.rt)
[ -e "${scripts[0]}" ] || fail "examples/shop/migrations/versions/ holds no script"
for script in "${scripts[@]}"; do
  [ -e "$script" ] || continue
  up=$(block_lines upgrade "$script")
  down=$(block_lines downgrade "$script")
  name=${script#"$src"/}
  if [ "$up" -gt 0 ] && [ "$down" -gt 0 ]; then
    ok "$name: upgrade $up lines, downgrade $down lines"
  else
    fail "$name: upgrade has $up lines, downgrade $down"
  fi
done
base_script=$(grep -l '^revises  *base$' "${scripts[@]}" 2>/dev/null)
if [ -z "$base_script" ]; then
  fail "no script revises base"
else
  missing=""
  for table in $(sed -n 's/^\([a-z_]*\): model .*/\1/p; s/^\([a-z_]*\): association table .*/\1/p' "$work/tables.log"); do
    grep -q "^  create table $table {" "$base_script" || missing="$missing $table"
    grep -q "^  drop table $table {" "$base_script" || missing="$missing $table(downgrade)"
  done
  [ -z "$missing" ] && ok "${base_script#"$src"/} creates (and its downgrade drops) every table" ||
    fail "${base_script#"$src"/} does not create or drop:$missing"
fi

echo "== 4. alembic_version holds the applied head"
heads=$(retort -q heads 2>&1)
stored=$("$cli_db" query "$url" "SELECT version_num FROM alembic_version" 2>&1 | tail -n +2)
current=$(retort -q current 2>&1)
head=${heads%% *}
echo "   retort heads: $heads; alembic_version: $stored; retort current: $current"
if [ "$heads" = "$head (head)" ] && [ "$stored" = "$head" ] && [ "$current" = "$head (head)" ]; then
  ok "alembic_version holds $head, the head of the scripts"
else
  fail "alembic_version holds '$stored'; the head is '$heads', retort current says '$current'"
fi

echo "== 5. the tables were created by the migrations"
base_rev=$(sed -n 's/^revision  *//p' "$base_script" 2>/dev/null)
first=$("$cli_db" query "$url" \
  "SELECT revision, direction FROM retort_history ORDER BY id" 2>&1 | sed -n 2p)
[ "$first" = "$base_rev | upgrade" ] &&
  ok "retort_history begins with the upgrade of $base_rev, the script that creates the tables" ||
  fail "retort_history begins with '$first', not the upgrade of '$base_rev'"
out=$(retort check 2>&1)
[ "$out" = "No new upgrade operations detected." ] &&
  ok "retort check: the database equals models.rt" || fail "retort check: $out"
# A fresh database, migrated: the same tables, columns, keys and indexes.
if DATABASE_URL=$url2 retort -q upgrade head; then
  out=$(DATABASE_URL=$url2 retort check 2>&1)
  [ "$out" = "No new upgrade operations detected." ] &&
    ok "a fresh database after upgrade head equals models.rt" || fail "fresh database: retort check: $out"
  if "$cli_db" compare "$url" "$url2" >"$work/compare.log" 2>&1; then
    ok "the demo's database equals a fresh one made by upgrade head"
  else
    cat "$work/compare.log"
    fail "the demo's database differs from a fresh one made by upgrade head"
  fi
else
  fail "retort upgrade head on a fresh database failed"
fi

if [ $failures -gt 0 ]; then
  echo "$failures judging point(s) failed; the demo's output is in $work/demo.log"
  exit 1
fi
echo "every judging point holds on $backend"
rm -rf "$work"
