# The connection is lost in the middle of an upgrade (its server process
# is terminated while a revision runs): the run fails, the message says
# which revision failed and where the database stays -- what `retort
# current` then prints -- with one transaction per run and with
# transaction_per_revision.
. "$SRC/tests/cli/migrate.sh"
databases=pg_connection_lost
"$CLI_DB" fresh "$RETORT_PG_URL" $databases || exit 1
trap '"$CLI_DB" drop "$RETORT_PG_URL" $databases >/dev/null 2>&1' EXIT
URL=${RETORT_PG_URL%/*}/$databases
new_project
v=migrations/versions
retort -q revision -m "one" --rev-id c00000000001
fill $v/c00000000001_one.rt "  create table one {\n    id  bigint  primary key\n  }" "  drop table one"
retort -q revision -m "two" --rev-id c00000000002
fill $v/c00000000002_two.rt "  create table two {\n    id  bigint  primary key\n  }" "  drop table two"
retort -q revision -m "slow" --rev-id c00000000003
fill $v/c00000000003_slow.rt \
  "  create table three {\n    id  bigint  primary key\n  }\n  execute 'SELECT pg_sleep(30)' only postgresql" \
  "  drop table three"

# Runs `retort upgrade head` and terminates its server process once the
# slow revision runs.
upgrade_and_kill() {
  "$RETORT" upgrade head >out.txt 2>&1 &
  pid=$!
  for _ in $(seq 300); do
    n=$("$CLI_DB" query "$RETORT_PG_URL" "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$databases' AND query LIKE 'SELECT pg_sleep%'" | tail -n 1)
    [ "$n" != 0 ] && break
    sleep 0.1
  done
  wait $pid
  echo "exit $?"
  # The server's own words after ours vary with the libpq version.
  sed -E -e 's/ \([0-9.]+ ms\)$/ (N ms)/' -e 's/(connection to PostgreSQL lost).*/\1: .../' out.txt
  echo "current: [$(retort current)]"
}

echo "== one transaction per run"
upgrade_and_kill
"$CLI_DB" tables "$URL"

echo "== transaction_per_revision = true"
sed 's/^transaction_per_revision = false/transaction_per_revision = true/' retort.ini >r.ini && mv r.ini retort.ini
upgrade_and_kill
"$CLI_DB" tables "$URL"
