#!/bin/sh
# interop.sh - retort and the real Alembic on one database, both ways.
#
#   interop.sh RETORT CLI_DB sqlite|postgresql|mariadb WORK_DIR
#
# The Alembic project beside this file (alembic.ini, alembic/env.py and
# alembic/versions/, written by Alembic's own autogenerate from
# shop_models.py, SQLAlchemy models equivalent to models.rt beside this file,
# the shop example's first revision)
# is run with /usr/bin/python3 (Debian's python3-alembic, python3-sqlalchemy,
# python3-psycopg2 or python3-pymysql).
#
# 1. Alembic -> retort: `alembic upgrade head` on a fresh database. A retort
#    project adopts it as a user moving from Alembic would: its first script,
#    written by `retort revision --autogenerate --against history` from
#    models.rt (no database needed), takes the
#    id of Alembic's head (--rev-id). Then `retort current` reads Alembic's
#    alembic_version, `retort check` finds no difference from models.rt, and
#    `retort upgrade head` has nothing to do.
# 2. retort -> Alembic: `retort upgrade head` on another fresh database; then
#    `alembic current` reads retort's alembic_version, and Alembic's own
#    comparison with the models (alembic_compare.py) finds in it what it
#    finds in the database it migrated itself (nothing on PostgreSQL).
#
# On PostgreSQL the databases interop and interop_2 are made on the server
# at RETORT_PG_URL (and dropped at the end); on MariaDB likewise at
# RETORT_MARIADB_URL, both tools given SQLAlchemy's mysql+pymysql:// URL.
set -u

retort=$1
cli_db=$2
backend=$3
work=$4
here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3

PYTHONDONTWRITEBYTECODE=1   # no __pycache__ in the source tree
export PYTHONDONTWRITEBYTECODE
unset RETORT_URL DATABASE_URL

rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

case $backend in
  sqlite)
    url1=sqlite:///$work/alembic.db
    url2=sqlite:///$work/retort.db
    ;;
  postgresql)
    pg=${RETORT_PG_URL:?RETORT_PG_URL is not set}
    "$cli_db" fresh "$pg" interop || exit 1
    "$cli_db" fresh "$pg" interop_2 || exit 1
    url1=${pg%/*}/interop
    url2=${pg%/*}/interop_2
    trap '"$cli_db" drop "$pg" interop; "$cli_db" drop "$pg" interop_2' EXIT
    ;;
  mariadb)
    # SQLAlchemy's spelling of the URL, driver part and all: retort takes
    # it as it is (the driver part is ignored).
    mdb=${RETORT_MARIADB_URL:?RETORT_MARIADB_URL is not set}
    "$cli_db" fresh "$mdb" interop || exit 1
    "$cli_db" fresh "$mdb" interop_2 || exit 1
    base=${mdb%/*}
    url1=mysql+pymysql://${base#*://}/interop
    url2=mysql+pymysql://${base#*://}/interop_2
    trap '"$cli_db" drop "$mdb" interop; "$cli_db" drop "$mdb" interop_2' EXIT
    ;;
  *)
    echo "usage: interop.sh RETORT CLI_DB sqlite|postgresql|mariadb WORK_DIR" >&2
    exit 2
    ;;
esac

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

alembic() {
  INTEROP_URL=$url "$python" -m alembic -c "$here/alembic.ini" "$@"
}

# ---- 1. Alembic migrates, retort reads
url=$url1
echo "== alembic upgrade head ($backend)"
alembic upgrade head || fail "alembic upgrade head"
head=$(alembic heads | awk '{ print $1; exit }')
echo "Alembic's head: $head"
[ -n "$head" ] || fail "alembic heads printed nothing"

"$retort" -q init migrations || exit 1
sed -e "s|^url = .*|url = $url1|" -e "s|^schema = .*|schema = models.rt|" retort.ini >retort.ini.new &&
  mv retort.ini.new retort.ini
cp "$here/models.rt" models.rt
"$retort" -q revision --autogenerate --against history -m "init shop" --rev-id "$head" ||
  fail "retort revision --autogenerate --against history"

echo "== retort current"
out=$("$retort" current 2>&1)
status=$?
echo "$out"
[ $status = 0 ] || fail "retort current exited $status"
[ "$out" = "$head (head)" ] || fail "retort current printed '$out', expected '$head (head)'"

echo "== retort check"
out=$("$retort" check 2>&1)
status=$?
echo "$out"
[ $status = 0 ] || fail "retort check exited $status on the database Alembic migrated"

echo "== retort upgrade head"
out=$("$retort" upgrade head 2>&1)
status=$?
[ $status = 0 ] && [ -z "$out" ] || fail "retort upgrade head at head: exit $status, '$out'"

# ---- 2. retort migrates, Alembic reads
url=$url2
echo "== retort upgrade head (a fresh database)"
"$retort" --url "$url2" upgrade head || fail "retort upgrade head"

echo "== alembic current"
out=$(alembic current 2>/dev/null)
status=$?
echo "$out"
[ $status = 0 ] || fail "alembic current exited $status"
[ "$out" = "$head (head)" ] || fail "alembic current printed '$out', expected '$head (head)'"

echo "== Alembic's comparison with the SQLAlchemy models"
compare() {
  (cd "$here" && "$python" alembic_compare.py "$1") | sed 's/ at 0x[0-9a-f]*//g'
}
by_alembic=$(compare "$url1") || fail "alembic_compare.py on Alembic's database"
by_retort=$(compare "$url2") || fail "alembic_compare.py on retort's database"
echo "$by_retort"
if [ "$backend" != sqlite ]; then
  case $by_retort in
    *"alembic_compare: 0 difference(s)") ;;
    *) fail "Alembic finds differences in retort's database" ;;
  esac
fi
[ "$by_alembic" = "$by_retort" ] ||
  fail "Alembic finds other differences in retort's database than in its own: $by_alembic"

if [ $failures != 0 ]; then
  echo "interop ($backend): $failures failure(s); work folder kept: $work"
  exit 1
fi
cd / && rm -rf "$work"
echo "interop ($backend): Alembic and retort read each other's databases"
