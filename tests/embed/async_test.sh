#!/bin/sh
# async_test.sh - the start-up program of `retort init -t async`, end to
# end on one backend:
#
#   async_test.sh RETORT CLI_DB SOURCE_DIR WORK BACKEND CC "CFLAGS" "LIBS"
#
# `retort init -t async`, a model and its revision by autogenerate, then
# the program init wrote (main.c and migrate.c) built with the build rules
# init wrote (migrations.mk, which runs `retort embed`) and run on a fresh
# SQLite file or PostgreSQL / MariaDB database: it upgrades from its epoll
# loop, runs its first query and stops; run again, it finds nothing to do.
set -u

name=async_test
. "$(dirname "$0")/common.sh"

RETORT_NOW="2024-09-14 16:38:00"
export RETORT_NOW
"$retort" -q init -t async migrations || fail "retort init -t async failed"
sed "s|^url = .*|url = $url|" retort.ini >retort.ini.new && mv retort.ini.new retort.ini

cat >models.rt <<'MODELS'
model Note {
  id     bigint       primary key
  title  string(100)
  body   text?
}
MODELS
"$retort" -q revision --autogenerate --against history -m "create notes" --rev-id a5c000000001 ||
  fail "the revision failed"

# The build: the rules init wrote, as migrations.mk tells a Makefile to
# use them; warnings are errors, for the written and generated files too.
cat >Makefile <<MAKEFILE
RETORT = $retort
CC = $cc
CFLAGS = -std=c11 -Wall -Wextra -Werror $cflags -I$source_dir/include
include migrations/migrations.mk
app: migrations/main.o \$(RETORT_MIGRATIONS_C:.c=.o) migrations/migrate.o
	\$(CC) \$(CFLAGS) \$^ $libs -o \$@
MAKEFILE
make -s app || fail "the program does not build"
# It needs no script at run time.
mv migrations/versions migrations/versions.away

# What the program wrote to stderr, without the one warning an ASan build
# prints on its first fiber switch (it cannot be turned off).
app_stderr() {
  grep -v "^==[0-9]*==WARNING: ASan doesn't fully support makecontext/swapcontext" err.txt || true
}

./app "$url" >out.txt 2>err.txt || fail "the first run failed: $(cat err.txt)"
expect "first run: the first query" "$(cat out.txt)" "app: the database is at revision a5c000000001"
expect "first run: the upgrade's progress" "$(app_stderr | sed -E 's/ \([0-9.]+ ms\)$//')" \
  "INFO  Running upgrade  -> a5c000000001, create notes"
tables=$("$cli_db" tables "$url" | grep -v '^retort_migration_progress:')
expect "after the first run: the tables" "$tables" "alembic_version: version_num
notes: id, title, body
retort_history: id, revision, direction, checksum, applied_at, duration_ms"

# Run again, the URL from the environment this time: nothing to do.
DATABASE_URL=$url ./app >out.txt 2>err.txt || fail "the second run failed: $(cat err.txt)"
expect "second run: the first query" "$(cat out.txt)" "app: the database is at revision a5c000000001"
expect "second run: nothing to migrate" "$(app_stderr)" ""
expect "second run: one upgrade in the history" \
  "$("$cli_db" query "$url" "SELECT revision, direction FROM retort_history ORDER BY id")" \
  "revision | direction
a5c000000001 | upgrade"

# A database it cannot reach: the error, and a failing exit status.
if ./app "sqlite:///$work/no/such/dir/x.db" >out.txt 2>err.txt; then
  fail "a run on a database it cannot open succeeded"
fi
grep -q '^app: ' err.txt || fail "no error message: $(cat err.txt)"
echo "async_test ($backend): passed"
