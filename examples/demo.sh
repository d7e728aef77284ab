#!/usr/bin/env bash
# demo.sh - what `make demo` shows: the classic "ORM and migrations"
# exercise done with retort on the example shop (examples/shop). A fresh
# database, `retort upgrade head` through the shop's migration scripts, a
# session of the shop program that uses every relationship, `retort current`
# and `history`, the tables (alembic_version included), then `retort
# downgrade -1` and `upgrade head` again, and the diagram.
#
#   bash examples/demo.sh BUILD_DIR
#
# The database is $DATABASE_URL (`make demo DATABASE_URL=postgresql://...`
# or mysql://...), else the SQLite file BUILD_DIR/demo/shop.db. On a
# server (PostgreSQL, MariaDB) the database
# must exist; whatever an earlier run migrated there is taken back first
# (`retort downgrade base`). Files are written only into $DEMO_DIR (default
# BUILD_DIR/demo). It builds nothing (make does). Exit status 0 when every
# step did what it shows.
set -euo pipefail

build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -x "$build/retort" ] || [ ! -x "$build/shop" ] || [ ! -x "$build/shop-service" ]; then
  echo "demo.sh: $build/retort, $build/shop or $build/shop-service is missing; run make first" >&2
  exit 1
fi
command -v curl >/dev/null || { echo "demo.sh: curl is not installed (Debian: apt-get install curl)" >&2; exit 1; }
bin=$(cd "$build" && pwd)
demo=${DEMO_DIR:-$bin/demo}
mkdir -p "$demo"
demo=$(cd "$demo" && pwd)
started=$(date +%s%N)

# The commands run in examples/shop, where retort finds retort.ini. A path
# is shown relative to that folder when it is inside the repository.
shown() {
  case $1 in
    "$root"/*) printf '../../%s' "${1#"$root"/}" ;;
    *) printf '%s' "$1" ;;
  esac
}

if [ -n "${DATABASE_URL:-}" ]; then
  url=$DATABASE_URL
  shown_url=$(printf '%s' "$url" | sed -E 's|^([a-z+]+://[^:/@]*):[^@]*@|\1:***@|')
  # What the closing line calls the database, from the URL's scheme
  # (SQLAlchemy's mysql+pymysql:// included).
  case $url in
    sqlite:*|SQLite:*|SQLITE:*) backend=SQLite ;;
    mysql*|mariadb*|MySQL*|MariaDB*) backend=MariaDB ;;
    *) backend=PostgreSQL ;;
  esac
else
  url=sqlite:///$demo/shop.db
  shown_url=sqlite:///$(shown "$demo")/shop.db
  backend=SQLite
fi
export DATABASE_URL=$url
export PATH="$bin:$PATH"
unset RETORT_URL
cd examples/shop
steps=0

step() {
  steps=$((steps + 1))
  printf '\n== %d. %s\n' "$steps" "$*"
}

# Shows the command as a user would type it, then runs it.
run() {
  printf '$ %s\n' "$(shown_command "$@")"
  "$@"
}

# The same for a command that must fail: its error is the point.
run_fails() {
  printf '$ %s\n' "$(shown_command "$@")"
  local status=0
  "$@" || status=$?
  if [ $status = 0 ]; then
    echo "demo.sh: that command should have failed" >&2
    exit 1
  fi
  printf '(exit status %d: refused, nothing changed)\n' $status
}

shown_command() {
  local out="" arg
  for arg in "$@"; do
    case $arg in
      "$demo"/*) arg=$(shown "$arg") ;;
    esac
    case $arg in
      *"'"*) arg="\"$arg\"" ;;
      *[\ \"\$\|\(\)\*\^]* | "") arg="'$arg'" ;;
    esac
    out="$out${out:+ }$arg"
  done
  printf '%s' "$out"
}

printf 'retort demo: the example shop on %s\n' "$backend"
printf '(the commands run in examples/shop, with build/ on PATH and\n DATABASE_URL=%s)\n' "$shown_url"

step "The models (models.rt) and their migration scripts"
run grep -E '^(model|table|enum|mixin) ' models.rt
run ls migrations/versions

step "A fresh database"
if [ "$backend" = SQLite ]; then
  run rm -f "$demo/shop.db"
else
  # Takes back what an earlier run applied; a database at base is left alone.
  run retort downgrade base
fi

step "Create the tables through the migrations"
run retort upgrade head

step "Users, each with a profile (one-to-one)"
run shop add-user ada --email ada@example.com --first Ada --last Lovelace
run shop add-user grace --email grace@example.com --first Grace --last Hopper
run shop add-user linus
run shop list-users

step "Posts (one-to-many: a user has many posts)"
run shop add-post --user ada "Notes on the engine" "It weaves algebraic patterns."
run shop add-post --user ada "On numbers"
run shop add-post --user grace "Compilers" "Programs that write programs."
run shop list-posts --user ada

step "Products, and carts (one-to-many) holding products (many-to-many)"
run shop add-product lamp 19.90 --description "a desk lamp"
run shop add-product desk 149.00
run shop add-product chair 59.50
run shop add-to-cart --user ada lamp
run shop add-to-cart --user ada desk
run shop add-to-cart --user grace lamp
run shop show-cart --user ada

step "Pay (the cart's status and paid_at), then a new cart"
run shop pay --user ada
run shop add-to-cart --user ada chair
run shop show-cart --user ada

step "Bad input: a one-line error, a non-zero exit, no change"
run_fails shop add-product sofa -5
run_fails shop add-user ada
run_fails shop add-to-cart --user nobody lamp
run_fails shop add-to-cart --user ada chair

step "Delete a user: the profile, posts and carts go with it (cascade)"
run shop delete-user linus
run shop delete-user grace
run shop list-users

step "Where the database is, and the revisions"
run retort current
run retort history

step "The tables, read from the database (alembic_version holds the head)"
run shop tables

step "Downgrade one revision: paid_at and the index go, body is text again"
run retort -q inspect -o "$demo/at-head.rt"
run retort downgrade -1
run retort current
run retort -q inspect -o "$demo/one-down.rt"
printf '$ %s\n' "$(shown_command diff "$demo/at-head.rt" "$demo/one-down.rt")"
diff "$demo/at-head.rt" "$demo/one-down.rt" || [ $? = 1 ]

step "Upgrade to the head again: the rows are still there"
run retort upgrade head
run retort current
run shop list-posts --user ada
run shop show-cart --user ada

if command -v dot >/dev/null 2>&1; then
  step "The diagram, drawn by Graphviz (the Mermaid text: retort diagram)"
  run retort diagram --format svg -o "$demo/shop.svg"
else
  step "The diagram (Graphviz's dot is not installed: apt-get install graphviz)"
  run retort diagram
fi

step "The same database over HTTP: the example service (examples/shop-service)"
# It listens on a free port of 127.0.0.1 (--port 0), prints which, and
# finds the database at the head: it migrates only what is missing.
service_pid=
stop_service() {
  if [ -n "$service_pid" ]; then
    kill -TERM "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
    service_pid=
  fi
}
trap stop_service EXIT
printf '$ shop-service --port 0 &\n'
shop-service --port 0 >"$demo/service.out" 2>"$demo/service.log" &
service_pid=$!
for _ in $(seq 100); do
  grep -q 'listening on' "$demo/service.out" 2>/dev/null && break
  kill -0 "$service_pid" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q 'listening on' "$demo/service.out" 2>/dev/null; then
  cat "$demo/service.log" >&2
  echo "demo.sh: the service did not start" >&2
  exit 1
fi
cat "$demo/service.out"
base=$(sed -n 's|.*listening on \(http://[0-9.]*:[0-9]*\).*|\1|p' "$demo/service.out")

# Shows the curl command, the answer and its status; the status must be
# the one expected.
http() {
  local expected=$1 method=$2 path=$3 body=${4:-}
  local args=(-s -X "$method" -w '\n%{http_code}' "$base$path") url=$base$path
  case $url in *'?'*) url="'$url'" ;; esac
  if [ -n "$body" ]; then
    args+=(-d "$body")
    printf "\$ curl -X %s %s -d '%s'\n" "$method" "$url" "$body"
  else
    printf '$ curl -X %s %s\n' "$method" "$url"
  fi
  local out status
  out=$(curl "${args[@]}")
  status=${out##*$'\n'}
  printf '%s\n(HTTP %s)\n' "${out%$'\n'*}" "$status"
  if [ "$status" != "$expected" ]; then
    echo "demo.sh: expected HTTP $expected" >&2
    exit 1
  fi
}
http 201 POST /users '{"username": "hedy", "email": "hedy@example.com", "first_name": "Hedy"}'
hedy=$(curl -s "$base/users?username=hedy" | sed -n 's/^\[{"id":\([0-9]*\).*/\1/p')
http 201 POST /products '{"name": "lantern", "price": 24.50}'
lantern=$(curl -s "$base/products?name=lantern" | sed -n 's/^\[{"id":\([0-9]*\).*/\1/p')
http 201 POST "/users/$hedy/cart" "{\"product_id\": $lantern}"
http 200 GET "/carts?user_id=$hedy"
http 200 GET "/products?limit=2"
http 409 POST /users '{"username": "hedy"}'
http 404 GET /users/999999
stop_service
printf '$ kill -TERM %%1\n'
cat "$demo/service.log"

elapsed=$((($(date +%s%N) - started) / 1000000))
printf '\nDone in %d.%03d s, on %s: the database is %s.\n' \
  $((elapsed / 1000)) $((elapsed % 1000)) "$backend" "$shown_url"
