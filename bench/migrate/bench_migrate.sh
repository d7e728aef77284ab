#!/usr/bin/env bash
# bench_migrate.sh - how fast the migration commands are, as whole processes,
# next to the floor (the same SQL run by hand) and next to Alembic.
#
#   bench/migrate/bench_migrate.sh BUILD_DIR      (bench/run.sh runs it)
#
# (a) `retort upgrade head` through a chain of 1,000 revisions, each a
#     5-column table and an index, on SQLite, PostgreSQL and MariaDB; the
#     floor is the SQL of that upgrade (`retort upgrade head --sql`, with one
#     alembic_version statement instead of one per revision, as the online
#     run writes it) run by sqlite3 / psql (in one transaction) / mariadb
#     from a file;
#     Alembic runs an equivalent chain of 1,000 generated revisions.
# (b) `retort revision --autogenerate` against a 500-table database that
#     equals the models (No changes detected); Alembic's autogenerate on the
#     same tables (it writes an empty revision, removed after each run).
# (c) `retort current` and `retort history` on the 1,000-revision project.
# (d) `retort check` against a 10,000-table database that equals the models
#     and its migrations (no drift); beside it, Alembic's comparison of the
#     same SQLAlchemy models with its own copy of the database
#     (`compare_metadata`, what `alembic check` of later Alembic versions
#     runs), as a whole process too. Alembic is run BENCH_ALEMBIC_BIG_RUNS
#     times (default 3): it takes minutes there.
#
# Each figure is the median of BENCH_RUNS runs (default 5), every run a
# fresh process (and for (a) a fresh database). Ratios come from the same
# run. Targets: upgrade within 1.5x of the floor; every retort figure at
# least 10x faster than Alembic's. Alembic is Debian's python3-alembic under
# /usr/bin/python3 (left out when it is not installed). The PostgreSQL
# part starts its own server (tests/support/pg_server.sh) and stops it at
# the end, also on failure; BENCH_PG=0 leaves PostgreSQL out, BENCH_SQLITE=0
# SQLite (and history), BENCH_ALEMBIC=0 Alembic (retort's figures only, for
# a quick look at one of them). The MariaDB
# part does the same with tests/support/mariadb_server.sh (Alembic through
# python3-pymysql); BENCH_MARIADB=0 leaves it out, BENCH_MARIADB_BIG_TABLES
# sets its (d) size (default BENCH_BIG_TABLES). Its server's table cache is
# sized to hold the (d) database, as MariaDB advises for a server with that
# many tables; (d) also prints the figure at the default table cache.
set -euo pipefail

build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
retort=$build/retort
runs=${BENCH_RUNS:-5}
revisions=${BENCH_REVISIONS:-1000}
tables=${BENCH_TABLES:-500}
big_tables=${BENCH_BIG_TABLES:-10000}
big_alembic_runs=${BENCH_ALEMBIC_BIG_RUNS:-3}
python=/usr/bin/python3
[ -x "$retort" ] || { echo "bench_migrate.sh: $retort is missing; build first" >&2; exit 1; }

have_alembic=0
if [ "${BENCH_ALEMBIC:-1}" != 0 ] && [ -x "$python" ] &&
   "$python" -c "import alembic, sqlalchemy" 2>/dev/null; then
  have_alembic=1
fi
have_pg=0
if [ "${BENCH_PG:-1}" != 0 ] && command -v psql >/dev/null &&
   ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  have_pg=1
fi
have_psycopg2=0
"$python" -c "import psycopg2" 2>/dev/null && have_psycopg2=1
have_mariadb=0
if [ "${BENCH_MARIADB:-1}" != 0 ] && command -v mariadb >/dev/null &&
   { command -v mariadbd || [ -x /usr/sbin/mariadbd ]; } >/dev/null &&
   grep -q "^RETORT_WITH_MARIADB:BOOL=ON" "$build/CMakeCache.txt" 2>/dev/null; then
  have_mariadb=1
fi
have_pymysql=0
"$python" -c "import pymysql" 2>/dev/null && have_pymysql=1

work=$(mktemp -d "${TMPDIR:-/tmp}/retort-bench.XXXXXX")
# outside $work: the server runs as the postgres user, which cannot enter it
pg_dir=${TMPDIR:-/tmp}/retort-bench-pg-$$
pg_port=$((30000 + $$ % 20000))
my_dir=${TMPDIR:-/tmp}/retort-bench-mariadb-$$
my_port=$((30000 + ($$ + 3) % 20000))
cleanup() {
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    bash "$src/tests/support/pg_server.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  fi
  if [ -d "$my_dir" ]; then
    bash "$src/tests/support/mariadb_server.sh" stop "$my_dir" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
export PYTHONDONTWRITEBYTECODE=1
export PGOPTIONS="-c client_min_messages=warning"
unset RETORT_URL DATABASE_URL

# ---- timing -----------------------------------------------------------------

now_ns() { date +%s%N; }

# median SECONDS...: the middle value (the mean of the two middle ones for
# an even count)
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) printf "%.4f", v[(NR + 1) / 2];
    else printf "%.4f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# measure PREPARE COMMAND...: runs PREPARE (untimed; "" for none) then
# COMMAND, BENCH_RUNS times; sets $result to the median seconds. COMMAND's
# output goes to $work/last.out / last.err; a failure stops the benchmark.
measure() {
  local prepare=$1
  shift
  local times=() i start end
  for ((i = 0; i < runs; i++)); do
    [ -z "$prepare" ] || eval "$prepare"
    start=$(now_ns)
    if ! "$@" >"$work/last.out" 2>"$work/last.err"; then
      echo "bench_migrate.sh: failed: $*" >&2
      cat "$work/last.out" "$work/last.err" >&2
      exit 1
    fi
    end=$(now_ns)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')")
  done
  result=$(median "${times[@]}")
}

# ---- output -------------------------------------------------------------------

misses=0
printf '%-52s %10s %10s %10s %12s %14s\n' "benchmark (median of $runs)" retort floor alembic \
  "retort/floor" "alembic/retort"

# row NAME RETORT FLOOR ALEMBIC: FLOOR or ALEMBIC may be "-"
row() {
  local name=$1 r=$2 f=$3 a=$4 rf="-" ar="-" verdict=""
  if [ "$f" != "-" ]; then
    rf=$(awk -v r="$r" -v f="$f" 'BEGIN { printf "%.2fx", r / f }')
    if awk -v r="$r" -v f="$f" 'BEGIN { exit !(r > 1.5 * f) }'; then
      verdict+=" MISS(>1.5x floor)"
      misses=$((misses + 1))
    fi
  fi
  if [ "$a" != "-" ]; then
    ar=$(awk -v r="$r" -v a="$a" 'BEGIN { printf "%.1fx", a / r }')
    if awk -v r="$r" -v a="$a" 'BEGIN { exit !(a < 10 * r) }'; then
      verdict+=" MISS(<10x Alembic)"
      misses=$((misses + 1))
    fi
  fi
  fmt() { [ "$1" = "-" ] && echo "-" || awk -v s="$1" 'BEGIN { printf "%.3f s", s }'; }
  printf '%-52s %10s %10s %10s %12s %14s%s\n' "$name" "$(fmt "$r")" "$(fmt "$f")" \
    "$(fmt "$a")" "$rf" "$ar" "$verdict"
}

# ---- the projects ---------------------------------------------------------------

rev_id() { printf 'r%04d' "$1"; }

# A retort project in DIR whose versions/ hold the chain of $revisions.
make_retort_chain() {
  local dir=$1 i prev
  mkdir -p "$dir/migrations/versions"
  printf '[retort]\nscript_location = migrations\nurl = sqlite:///bench.db\n' >"$dir/retort.ini"
  for ((i = 1; i <= revisions; i++)); do
    prev=base
    [ "$i" = 1 ] || prev=$(rev_id $((i - 1)))
    local t
    t=$(printf 't%04d' "$i")
    cat >"$dir/migrations/versions/$(rev_id "$i")_create_$t.rt" <<RT
# create $t
revision  $(rev_id "$i")
revises   $prev
created   2024-01-01 00:00:00

upgrade {
  create table $t {
    id       bigint         primary key
    name     string(50)
    qty      int            server default 0
    price    numeric(10,2)?
    created  timestamp      server default now
  }
  create index ix_${t}_name on $t (name)
}

downgrade {
  drop index ix_${t}_name
  drop table $t
}
RT
  done
}

# The same chain as an Alembic project in DIR (env.py reads $BENCH_URL).
make_alembic_chain() {
  local dir=$1 i prev
  mkdir -p "$dir/alembic/versions"
  printf '[alembic]\nscript_location = %%(here)s/alembic\nsqlalchemy.url = sqlite:///bench.db\n' \
    >"$dir/alembic.ini"
  cat >"$dir/alembic/env.py" <<'PY'
import os
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
if os.environ.get("BENCH_URL"):
    config.set_main_option("sqlalchemy.url", os.environ["BENCH_URL"])
target_metadata = None
try:
    from models import metadata as target_metadata
except ImportError:
    pass

engine = engine_from_config(config.get_section(config.config_ini_section),
                            prefix="sqlalchemy.", poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
PY
  cp "$src/tests/interop/alembic/script.py.mako" "$dir/alembic/"
  for ((i = 1; i <= revisions; i++)); do
    prev=None
    [ "$i" = 1 ] || prev="'$(rev_id $((i - 1)))'"
    local t
    t=$(printf 't%04d' "$i")
    cat >"$dir/alembic/versions/$(rev_id "$i")_create_$t.py" <<PY
"""create $t"""
from alembic import op
import sqlalchemy as sa

revision = '$(rev_id "$i")'
down_revision = $prev
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('$t',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(), nullable=False),
        sa.Column('name', sa.String(50), nullable=False),
        sa.Column('qty', sa.Integer(), server_default=sa.text('0'), nullable=False),
        sa.Column('price', sa.Numeric(10, 2), nullable=True),
        sa.Column('created', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_$t'))
    op.create_index('ix_${t}_name', '$t', ['name'])


def downgrade():
    op.drop_index('ix_${t}_name', table_name='$t')
    op.drop_table('$t')
PY
  done
}

# Models of $tables tables shaped like the chain's, for retort (models.rt)
# and SQLAlchemy (models.py) in DIR.
make_models() {
  local dir=$1 count=${2:-$tables} i t
  : >"$dir/models.rt"
  {
    echo "import sqlalchemy as sa"
    echo "metadata = sa.MetaData(naming_convention={'pk': 'pk_%(table_name)s', 'ix': 'ix_%(table_name)s_%(column_0_N_name)s'})"
    echo "Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')"
  } >"$dir/models.py"
  for ((i = 1; i <= count; i++)); do
    t=$(printf 'm%05d' "$i")
    cat >>"$dir/models.rt" <<RT
table $t {
  id       bigint         primary key
  name     string(50)     index
  qty      int            server default 0
  price    numeric(10,2)?
  created  timestamp      server default now
}
RT
    cat >>"$dir/models.py" <<PY
sa.Table('$t', metadata,
    sa.Column('id', Id, sa.Identity(), primary_key=True),
    sa.Column('name', sa.String(50), nullable=False, index=True),
    sa.Column('qty', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('price', sa.Numeric(10, 2)),
    sa.Column('created', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False))
PY
  done
}

# ---- the runs --------------------------------------------------------------------

chain_retort=$work/chain-retort
chain_alembic=$work/chain-alembic
make_retort_chain "$chain_retort"
[ "$have_alembic" = 0 ] || make_alembic_chain "$chain_alembic"

psql_admin() {
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres "$@" >/dev/null
}
fresh_pg() {
  psql_admin -c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\""
}
mariadb_client() {
  mariadb --no-defaults --socket="$my_dir/sock" --user=retort "$@"
}
fresh_my() {
  mariadb_client -e "DROP DATABASE IF EXISTS \`$1\`; CREATE DATABASE \`$1\`"
}

# fresh_db BACKEND NAME: an empty database NAME on a server backend.
fresh_db() {
  case $1 in
  postgresql) fresh_pg "$2" ;;
  mariadb) fresh_my "$2" ;;
  esac
}
# server_url BACKEND NAME: retort's URL of database NAME; alembic_url: the
# same database as SQLAlchemy names it (the driver in the scheme).
server_url() {
  case $1 in
  postgresql) echo "postgresql://postgres@127.0.0.1:$pg_port/$2" ;;
  mariadb) echo "mysql://retort@127.0.0.1:$my_port/$2" ;;
  esac
}
alembic_url() {
  case $1 in
  postgresql) server_url "$@" ;;
  mariadb) echo "mysql+pymysql://retort@127.0.0.1:$my_port/$2" ;;
  esac
}
# alembic_runs BACKEND: whether Alembic and the backend's Python driver are there.
alembic_runs() {
  [ "$have_alembic" = 1 ] || return 1
  case $1 in
  sqlite) return 0 ;;
  postgresql) [ "$have_psycopg2" = 1 ] ;;
  mariadb) [ "$have_pymysql" = 1 ] ;;
  esac
}

# The floor's SQL: retort's offline SQL with alembic_version written once
# (before COMMIT, or at the end where there is no transaction).
floor_sql() {
  local url=$1 out=$2
  (cd "$chain_retort" && "$retort" --url "$url" -q upgrade head --sql) |
    awk -v head="$(rev_id "$revisions")" '
      function put() {
        printf "INSERT INTO %salembic_version%s (%sversion_num%s) VALUES (%c%s%c);\n",
          q, q, q, q, 39, head, 39
        done = 1
      }
      # the quote of the dialect: "name" or `name` (MariaDB)
      /^(UPDATE|INSERT INTO) ["`]alembic_version["`]/ {
        q = substr($0, index($0, "alembic_version") - 1, 1); next }
      /^COMMIT;/ { put() }
      { print }
      # no transaction around it (MariaDB): the version at the end
      END { if (!done && q != "") put() }' >"$out"
}

bench_upgrade() {
  local backend=$1 url prepare floor_cmd
  if [ "$backend" = sqlite ]; then
    url=sqlite:///$work/upgrade.db
    prepare="rm -f '$work/upgrade.db'"
    floor_sql "$url" "$work/floor.sql"
    measure "$prepare" sqlite3 "$work/upgrade.db" ".read $work/floor.sql"
  elif [ "$backend" = postgresql ]; then
    url=$(server_url postgresql bench)
    prepare="fresh_pg bench"
    floor_sql "$url" "$work/floor.sql"
    measure "$prepare" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres \
      -d bench -f "$work/floor.sql"
  else
    # The client over the same TCP connection, in the sql_mode retort's
    # connections use (identifiers in double quotes).
    url=$(server_url mariadb bench)
    prepare="fresh_my bench"
    { echo "SET SESSION sql_mode = CONCAT_WS(',', @@SESSION.sql_mode, 'ANSI_QUOTES', 'NO_BACKSLASH_ESCAPES');"
      floor_sql "$url" /dev/stdout; } >"$work/floor.sql"
    measure "$prepare" mariadb --no-defaults --protocol=tcp -h 127.0.0.1 -P "$my_port" -u retort \
      bench -e "source $work/floor.sql"
  fi
  local floor=$result
  (cd "$chain_retort" && measure "$prepare" "$retort" --url "$url" -q upgrade head &&
    echo "$result" >"$work/result")
  local r
  r=$(cat "$work/result")
  local a=- aurl=$url
  [ "$backend" = sqlite ] || aurl=$(alembic_url "$backend" bench)
  if alembic_runs "$backend"; then
    (cd "$chain_alembic" && BENCH_URL=$aurl measure "$prepare" "$python" -m alembic upgrade head &&
      echo "$result" >"$work/result")
    a=$(cat "$work/result")
  fi
  row "(a) upgrade head, $revisions revisions ($backend)" "$r" "$floor" "$a"

  # (c) on the database at head
  (cd "$chain_retort" && measure "" "$retort" --url "$url" current && echo "$result" >"$work/result")
  r=$(cat "$work/result")
  a=-
  if alembic_runs "$backend"; then
    # Alembic's database: the same chain, run by Alembic
    [ "$backend" = sqlite ] || fresh_db "$backend" bench
    [ "$backend" = sqlite ] && rm -f "$work/upgrade.db"
    (cd "$chain_alembic" && BENCH_URL=$aurl "$python" -m alembic upgrade head >/dev/null 2>&1)
    (cd "$chain_alembic" && BENCH_URL=$aurl measure "" "$python" -m alembic current &&
      echo "$result" >"$work/result")
    a=$(cat "$work/result")
  fi
  row "(c) current, $revisions revisions ($backend)" "$r" - "$a"
}

bench_history() {
  (cd "$chain_retort" && measure "" "$retort" history && echo "$result" >"$work/result")
  local r a=-
  r=$(cat "$work/result")
  if [ "$have_alembic" = 1 ]; then
    (cd "$chain_alembic" && measure "" "$python" -m alembic history && echo "$result" >"$work/result")
    a=$(cat "$work/result")
  fi
  row "(c) history, $revisions revisions" "$r" - "$a"
}

bench_autogenerate() {
  local backend=$1
  local dir=$work/autogen-$backend url aurl
  mkdir -p "$dir/retort" "$dir/alembic"
  make_models "$dir/retort"
  if [ "$backend" = sqlite ]; then
    url=sqlite:///$dir/retort.db
    aurl=sqlite:///$dir/alembic.db
  else
    fresh_db "$backend" autogen_retort
    fresh_db "$backend" autogen_alembic
    url=$(server_url "$backend" autogen_retort)
    aurl=$(alembic_url "$backend" autogen_alembic)
  fi
  (cd "$dir/retort" && "$retort" -q init migrations &&
    printf '[retort]\nscript_location = migrations\nschema = models.rt\nurl = %s\n' "$url" >retort.ini &&
    "$retort" -q revision --autogenerate -m init && "$retort" -q upgrade head)
  (cd "$dir/retort" && measure "" "$retort" revision --autogenerate -m again &&
    echo "$result" >"$work/result")
  grep -q "No changes detected" "$work/last.err" ||
    { echo "bench_migrate.sh: autogenerate found changes:" >&2; cat "$work/last.err" >&2; exit 1; }
  local r a=-
  r=$(cat "$work/result")
  if alembic_runs "$backend"; then
    mkdir -p "$dir/alembic/alembic/versions"
    cp "$dir/retort/models.py" "$dir/alembic/"
    cp "$chain_alembic/alembic/env.py" "$chain_alembic/alembic/script.py.mako" "$dir/alembic/alembic/"
    printf '[alembic]\nscript_location = %%(here)s/alembic\nprepend_sys_path = .\nsqlalchemy.url = %s\n' \
      "$aurl" >"$dir/alembic/alembic.ini"
    (cd "$dir/alembic" && "$python" -m alembic revision --autogenerate -m init --rev-id init \
      >/dev/null 2>&1 && "$python" -m alembic upgrade head >/dev/null 2>&1)
    (cd "$dir/alembic" &&
      measure "rm -f alembic/versions/again*.py" "$python" -m alembic revision --autogenerate \
        -m again --rev-id again && echo "$result" >"$work/result")
    a=$(cat "$work/result")
  fi
  row "(b) autogenerate, $tables tables, no change ($backend)" "$r" - "$a"
}

# (d) check against $big_tables tables. The models, the migration that made
# them, and Alembic's copy come from the same generator as (b).
bench_check_big() {
  local backend=$1 big_tables=${2:-$big_tables}
  local dir=$work/check-$backend url aurl
  mkdir -p "$dir/retort" "$dir/alembic"
  make_models "$dir/retort" "$big_tables"
  if [ "$backend" = sqlite ]; then
    url=sqlite:///$dir/retort.db
    aurl=sqlite:///$dir/alembic.db
  else
    fresh_db "$backend" check_retort
    fresh_db "$backend" check_alembic
    url=$(server_url "$backend" check_retort)
    aurl=$(alembic_url "$backend" check_alembic)
  fi
  (cd "$dir/retort" && "$retort" -q init migrations &&
    printf '[retort]\nscript_location = migrations\nschema = models.rt\nurl = %s\n' "$url" >retort.ini &&
    "$retort" -q revision --autogenerate -m init && "$retort" -q upgrade head)
  (cd "$dir/retort" && measure "" "$retort" check && echo "$result" >"$work/result")
  local r a=-
  r=$(cat "$work/result")
  if alembic_runs "$backend"; then
    cp "$dir/retort/models.py" "$dir/alembic/"
    cat >"$dir/alembic/compare.py" <<'PY'
import sys
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.autogenerate import compare_metadata
from models import metadata

engine = sa.create_engine(sys.argv[1])
if sys.argv[2:] == ["create"]:
    metadata.create_all(engine)
    sys.exit(0)
with engine.connect() as connection:
    diff = compare_metadata(MigrationContext.configure(connection), metadata)
# The comparison is what is timed; on SQLite Alembic 1.8 reports each
# Identity() key as a changed default, so its findings are only counted.
print(len(diff), "differences")
PY
    (cd "$dir/alembic" && "$python" compare.py "$aurl" create)
    local saved=$runs
    runs=$big_alembic_runs
    (cd "$dir/alembic" && measure "" "$python" compare.py "$aurl" && echo "$result" >"$work/result")
    runs=$saved
    a=$(cat "$work/result")
  fi
  row "(d) check, $big_tables tables, no drift ($backend)" "$r" - "$a"
  if awk -v r="$r" 'BEGIN { exit !(r >= 1.0) }'; then
    echo "  MISS(target: check under 1 s at $big_tables tables)"
    misses=$((misses + 1))
  fi
  if [ "$backend" = mariadb ]; then
    # The same at MariaDB's default table cache (2,000 tables, 400 table
    # definitions), which cannot hold the database: no target.
    local sized
    sized=$(mariadb_client -N -e "SELECT @@GLOBAL.table_open_cache")
    mariadb_client -e "SET GLOBAL table_open_cache = 2000; SET GLOBAL table_definition_cache = 400; FLUSH TABLES"
    (cd "$dir/retort" && measure "" "$retort" check && echo "$result" >"$work/result")
    mariadb_client -e "SET GLOBAL table_open_cache = $sized; SET GLOBAL table_definition_cache = $sized"
    row "(d) check, $big_tables tables, default table cache ($backend)" "$(cat "$work/result")" - -
  fi
}

if [ "${BENCH_SQLITE:-1}" != 0 ]; then
  bench_upgrade sqlite
  bench_history
  bench_autogenerate sqlite
  bench_check_big sqlite
fi
if [ "$have_pg" = 1 ]; then
  RETORT_PG_OPTIONS="-c max_locks_per_transaction=1024" \
    bash "$src/tests/support/pg_server.sh" start "$pg_dir" "$pg_port" >/dev/null
  bench_upgrade postgresql
  bench_autogenerate postgresql
  bench_check_big postgresql
else
  echo "(PostgreSQL left out: no server binaries or psql)"
fi
if [ "$have_mariadb" = 1 ]; then
  # A server that holds 10,000 tables needs a table cache that holds them:
  # MariaDB's own sizing advice is a table_open_cache of at least the number
  # of tables. At its default of 2,000 every information_schema read of
  # indexes and CHECK constraints reopens every table; (d) prints that
  # figure too, for comparison, without a target.
  my_cache=$(( ${BENCH_MARIADB_BIG_TABLES:-$big_tables} + 1000 ))
  for try in 1 2 3 4 5; do
    RETORT_MARIADB_OPTIONS="--table-open-cache=$my_cache --table-definition-cache=$my_cache" \
      bash "$src/tests/support/mariadb_server.sh" start "$my_dir" "$my_port" >/dev/null 2>&1 && break
    [ "$try" = 5 ] && { echo "bench_migrate.sh: cannot start MariaDB" >&2; exit 1; }
    my_port=$((my_port + 101))
  done
  alembic_runs mariadb || echo "(Alembic on MariaDB left out: /usr/bin/python3 cannot import pymysql)"
  bench_upgrade mariadb
  bench_autogenerate mariadb
  bench_check_big mariadb "${BENCH_MARIADB_BIG_TABLES:-$big_tables}"
else
  echo "(MariaDB left out: no server binaries or mariadb client, or retort built without it)"
fi
[ "$have_alembic" = 1 ] || echo "(Alembic left out: /usr/bin/python3 cannot import alembic)"
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(sqlite3 --version | awk '{ print "SQLite " $1 }'); $("$python" -c 'import alembic, sqlalchemy; print("Alembic", alembic.__version__, "/ SQLAlchemy", sqlalchemy.__version__)' 2>/dev/null || true)"
if [ "$misses" -gt 0 ]; then
  echo "bench_migrate: $misses target(s) missed"
else
  echo "bench_migrate: every target met"
fi
