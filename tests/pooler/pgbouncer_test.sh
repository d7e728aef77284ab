#!/usr/bin/env bash
# pgbouncer_test.sh - two `retort upgrade head` at once through PgBouncer in
# transaction pooling mode, while other clients use the same pooler.
#
#   pgbouncer_test.sh RETORT CLI_DB WORKDIR
#
# In transaction pooling every transaction (and every statement outside
# one) may run on another server connection, so a session-level lock taken
# by one statement protects nothing the next one does. The test starts
# PgBouncer (as the `postgres` user when run as root) on a free loopback
# port in front of the test server (RETORT_PG_URL), keeps a background load
# of short queries going through it, and then, TRIALS times, starts two
# upgrades at once:
#   - a data-only revision (UPDATE balance = balance + 100): the balance
#     must end at exactly 100 more, whatever the two runs print;
#   - a DDL revision (ADD COLUMN and an UPDATE): applied once as well;
# after each trial the version table holds the head only, no advisory lock
# is left behind on any server connection, and a run that failed says a
# database revision that is true. PgBouncer is stopped at the end, also on
# failure.
set -u

retort=${1:?usage: pgbouncer_test.sh RETORT CLI_DB WORKDIR}
cli_db=${2:?CLI_DB missing}
work=${3:?WORKDIR missing}
pg_url=${RETORT_PG_URL:?RETORT_PG_URL is not set}
trials=${RETORT_POOLER_TRIALS:-5}

if ! command -v pgbouncer >/dev/null; then
  echo "pgbouncer_test.sh: pgbouncer is not installed (scripts/install-deps.sh test)" >&2
  exit 1
fi

# postgresql://postgres@127.0.0.1:PORT/postgres
hostport=${pg_url#*@}
hostport=${hostport%%/*}
pg_host=${hostport%:*}
pg_port=${hostport##*:}
db=retort_pooler

rm -rf "$work"
mkdir -p "$work/project" || exit 1
pooler_dir=$work/pgbouncer
mkdir -p "$pooler_dir"
if [ "$(id -u)" = 0 ]; then chown postgres "$pooler_dir"; fi

load_pids=""
cleanup() {
  for pid in $load_pids; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  if [ -f "$pooler_dir/pgbouncer.pid" ]; then
    kill "$(cat "$pooler_dir/pgbouncer.pid")" 2>/dev/null
    for _ in $(seq 50); do
      [ -f "$pooler_dir/pgbouncer.pid" ] || break
      sleep 0.1
    done
  fi
  "$cli_db" drop "$pg_url" "$db" >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

"$cli_db" fresh "$pg_url" "$db" || exit 1
direct=${pg_url%/*}/$db

# PgBouncer on a free loopback port. The candidates lie below the kernel's
# ephemeral range (ip_local_port_range, 32768-60999 by default): a port in
# that range can be the local end of another program's connection at any
# moment, which a probe for a listener does not see. A port taken between
# the probe and PgBouncer's bind() is retried with the next candidate.
start_pgbouncer() { # PORT
  cat >"$pooler_dir/pgbouncer.ini" <<EOF
[databases]
$db = host=$pg_host port=$pg_port dbname=$db user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $1
unix_socket_dir =
auth_type = trust
auth_file = $pooler_dir/users.txt
pool_mode = transaction
default_pool_size = 3
max_client_conn = 200
logfile = $pooler_dir/pgbouncer.log
pidfile = $pooler_dir/pgbouncer.pid
ignore_startup_parameters = extra_float_digits,options
EOF
  echo '"postgres" ""' >"$pooler_dir/users.txt"
  : >"$pooler_dir/pgbouncer.log"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$pooler_dir/pgbouncer.ini" "$pooler_dir/users.txt" "$pooler_dir/pgbouncer.log"
    runuser -u postgres -- pgbouncer -d "$pooler_dir/pgbouncer.ini" || return 1
  else
    pgbouncer -d "$pooler_dir/pgbouncer.ini" || return 1
  fi
  for _ in $(seq 50); do
    "$cli_db" query "postgresql://postgres@127.0.0.1:$1/$db" "SELECT 1" >/dev/null 2>&1 && return 0
    grep -q "nowhere to listen" "$pooler_dir/pgbouncer.log" && return 1
    sleep 0.1
  done
  return 1
}
port=""
for try in $(seq 0 19); do
  candidate=$((10000 + ($$ * 7 + try * 131) % 10000))
  (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null && continue
  if start_pgbouncer "$candidate"; then
    port=$candidate
    break
  fi
  grep -q "nowhere to listen" "$pooler_dir/pgbouncer.log" || break
done
[ -n "$port" ] || {
  echo "PgBouncer did not start:" >&2
  cat "$pooler_dir/pgbouncer.log" >&2
  exit 1
}
pooled=postgresql://postgres@127.0.0.1:$port/$db
echo "PgBouncer $(pgbouncer --version | awk 'NR==1{print $2}') on 127.0.0.1:$port, transaction pooling"

# The project: a table with one account, a data-only revision and a DDL one.
cd "$work/project" || exit 1
RETORT_NOW="2024-09-14 16:38:00"
export RETORT_NOW
"$retort" -q init migrations || exit 1
sed -e "s|^url = .*|url = $pooled|" retort.ini >retort.ini.new && mv retort.ini.new retort.ini
v=migrations/versions
fill() {
  awk -v up="$2" -v down="$3" '
    { print }
    /^upgrade \{$/ { print up }
    /^downgrade \{$/ { print down }' "$1" >"$1.new" && mv "$1.new" "$1"
}
"$retort" -q revision -m "accounts" --rev-id a00000000001 || exit 1
fill $v/a00000000001_accounts.rt \
  "  create table accounts {\n    id       bigint  primary key\n    balance  bigint\n  }\n  insert into accounts (id, balance) values (1, 0)" \
  "  drop table accounts"
"$retort" -q revision -m "credit" --rev-id a00000000002 || exit 1
fill $v/a00000000002_credit.rt \
  "  execute 'UPDATE accounts SET balance = balance + 100'\n  execute 'SELECT pg_sleep(0.3)'" \
  "  execute 'UPDATE accounts SET balance = balance - 100'"
"$retort" -q revision -m "note" --rev-id a00000000003 || exit 1
fill $v/a00000000003_note.rt \
  "  add column accounts.note string(20)?\n  execute 'UPDATE accounts SET balance = balance + 1000'\n  execute 'SELECT pg_sleep(0.3)'" \
  "  execute 'UPDATE accounts SET balance = balance - 1000'\n  drop column accounts.note"
# The DDL revision joins the project for the second half of the trials.
mv $v/a00000000003_note.rt "$work/a00000000003_note.rt" || exit 1

# The migrations' own set-up goes straight to the server.
direct_retort() {
  RETORT_URL=$direct "$retort" "$@"
}

# Other clients of the pooler: short transactions without a pause.
for i in 1 2 3; do
  (
    while :; do
      "$cli_db" query "$pooled" "SELECT pg_sleep(0.02), count(*) FROM pg_catalog.pg_class" >/dev/null 2>&1
    done
  ) &
  load_pids="$load_pids $!"
done

query() {
  "$cli_db" query "$direct" "$1" | tail -n +2
}

# trial TARGET_BEFORE EXPECTED_BALANCE EXPECTED_HEAD LABEL
trial() {
  local before=$1 balance=$2 head=$3 label=$4
  direct_retort -q downgrade base >/dev/null 2>&1
  direct_retort -q upgrade "$before" || { fail "$label: set-up upgrade $before"; return; }
  "$retort" upgrade head >"$work/run1.out" 2>&1 &
  local p1=$!
  "$retort" upgrade head >"$work/run2.out" 2>&1 &
  local p2=$!
  wait $p1
  local s1=$?
  wait $p2
  local s2=$?
  local got current locks
  got=$(query "SELECT balance FROM accounts WHERE id = 1")
  current=$(query "SELECT version_num FROM alembic_version ORDER BY 1" | tr '\n' ' ')
  # This database's only: other tests share the server.
  locks=$(query "SELECT count(*) FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())")
  [ "$got" = "$balance" ] || fail "$label: balance $got, expected $balance (applied more than once?)"
  [ "$current" = "$head " ] || fail "$label: alembic_version holds '$current', expected '$head '"
  [ "$locks" = 0 ] || fail "$label: $locks advisory lock(s) left behind on a server connection"
  local n=1
  for s in $s1 $s2; do
    if [ "$s" != 0 ]; then
      # A run may fail only if what it says about the database is true.
      local stays
      stays=$(sed -n 's/.*the database stays at \([0-9a-z, ]*\).*/\1/p' "$work/run$n.out" | head -n 1)
      if [ -z "$stays" ] || [ "$stays" != "$head" ]; then
        fail "$label: run $n exited $s and says the database stays at '${stays:-?}', but it is at $head:"
        sed 's/^/    /' "$work/run$n.out"
      fi
    fi
    n=$((n + 1))
  done
  local waited
  waited=$(cat "$work/run1.out" "$work/run2.out" | grep -c 'Waiting for the migration lock')
  overlaps=$((overlaps + waited))
  echo "$label: exits $s1 $s2, $waited waited for the lock, balance $got, alembic_version $current"
}
overlaps=0

for t in $(seq "$trials"); do
  trial a00000000001 100 a00000000002 "data-only trial $t"
done
mv "$work/a00000000003_note.rt" $v/ || exit 1
for t in $(seq "$trials"); do
  trial a00000000002 1100 a00000000003 "DDL trial $t"
done

# The two runs of a trial must have met: else the test proved nothing.
[ "$overlaps" -gt 0 ] || fail "in no trial did one run wait for the other"
if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "all $trials trials: each revision applied once"
