#!/bin/sh
# embed_test.sh - embedded migrations end to end, on one backend:
#
#   embed_test.sh RETORT CLI_DB SOURCE_DIR WORK BACKEND CC "CFLAGS" "LIBS"
#
# `retort init -t embedded`, two revisions written by autogenerate,
# `retort embed`, then a program (app.c, with the migrate.c init wrote and
# the generated C file) compiled against the static library and run on a
# fresh SQLite file or PostgreSQL database (RETORT_PG_URL): it upgrades,
# downgrades and reports where the database is, and the retort command
# and the program read each other's version table and checksums.
set -u

name=embed_test
. "$(dirname "$0")/common.sh"

RETORT_NOW="2024-09-14 16:38:00"
export RETORT_NOW
"$retort" -q init -t embedded migrations || fail "retort init -t embedded failed"
sed "s|^url = .*|url = $url|" retort.ini >retort.ini.new && mv retort.ini.new retort.ini

cat >models.rt <<'MODELS'
model Note {
  id     bigint       primary key
  title  string(100)
}
MODELS
"$retort" -q revision --autogenerate --against history -m "create notes" --rev-id e0b000000001 ||
  fail "the first revision failed"
cat >models.rt <<'MODELS'
model Note {
  id     bigint       primary key
  title  string(100)
  body   text?
}
MODELS
"$retort" -q revision --autogenerate --against history -m "note body" --rev-id e0b000000002 ||
  fail "the second revision failed"
# A script whose bytes C strings must escape: quotes, a backslash, a tab,
# "??=" (a trigraph), UTF-8.
"$retort" -q revision -m 'odd bytes: "é" ??= \ end' --rev-id e0b000000003 ||
  fail "the third revision failed"
awk '{ print }
  /^upgrade \{$/ { print "  execute '"'"'UPDATE notes SET title = '"''"'a\\b\"c??=d\té'"''"' WHERE id < 0'"'"'" }' \
  migrations/versions/e0b000000003_odd_bytes_é_end.rt >odd.rt &&
  mv odd.rt migrations/versions/e0b000000003_odd_bytes_é_end.rt
grep -q "??=d	é" migrations/versions/e0b000000003_odd_bytes_é_end.rt || fail "the odd script is not odd"
"$retort" -q embed -o retort_migrations.c || fail "retort embed failed"

# The program: warnings are errors, for the generated file too.
$cc -std=c11 -Wall -Wextra -Werror $cflags -I"$source_dir/include" \
  "$source_dir/tests/embed/app.c" migrations/migrate.c retort_migrations.c $libs -o app ||
  fail "the program does not build"
# It needs no script at run time.
mv migrations/versions migrations/versions.away

expect "a fresh database is at base" "$(./app "$url" current)" "base"
./app "$url" upgrade || fail "upgrade failed"
# Where DDL is not transactional the runner also keeps its progress
# table (retort_migration_progress, empty once every revision ran).
tables=$("$cli_db" tables "$url" | grep -v '^retort_migration_progress:')
expect "after upgrade: the tables" "$tables" "alembic_version: version_num
notes: id, title, body
retort_history: id, revision, direction, checksum, applied_at, duration_ms"
expect "after upgrade: alembic_version" \
  "$("$cli_db" query "$url" "SELECT version_num FROM alembic_version")" "version_num
e0b000000003"
expect "rt_migrate_current" "$(./app "$url" current)" "e0b000000003"
./app "$url" upgrade || fail "a second upgrade failed"
expect "a second upgrade changes nothing" \
  "$("$cli_db" query "$url" "SELECT revision, direction FROM retort_history ORDER BY id")" \
  "revision | direction
e0b000000001 | upgrade
e0b000000002 | upgrade
e0b000000003 | upgrade"

expect "downgrade -2, with progress" "$(./app "$url" downgrade -2 | sed -E 's/ \([0-9.]+ ms\)$//')" \
  "progress: INFO  Running downgrade e0b000000003 -> e0b000000002, odd bytes: \"é\" ??= \\ end
progress: INFO  Running downgrade e0b000000002 -> e0b000000001, note body"
expect "after downgrade: the table" "$("$cli_db" tables "$url" | grep '^notes:')" "notes: id, title"
expect "after downgrade: alembic_version" \
  "$("$cli_db" query "$url" "SELECT version_num FROM alembic_version")" "version_num
e0b000000001"

# The command and the program agree: same version table, same checksums.
mv migrations/versions.away migrations/versions
expect "retort current reads what the program wrote" "$("$retort" current)" "e0b000000001"
expect "retort current -v finds no edited script" "$("$retort" current -v | grep -c Edited)" "0"
"$retort" -q upgrade head || fail "retort upgrade head after the program failed"
expect "the program reads what retort wrote" "$(./app "$url" current)" "e0b000000003"

expect "a downgrade target that is not applied" \
  "$(./app "$url" downgrade ffff 2>&1 >/dev/null)" \
  "app: no revision 'ffff': no script has that id, id prefix or branch label"
echo "embed_test ($backend): passed"
