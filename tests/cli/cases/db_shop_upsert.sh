# The shop program's set-email, an upsert on the unique username: it adds
# a user that is not there and sets the email of one that is, keeping its
# key and its other columns.
# (PostgreSQL and MariaDB spend a value of the key's sequence on the
# conflicting INSERT: bob is 3 there, 2 on SQLite.)
$RETORT sql create --execute --schema "$SRC/examples/shop/models.rt" --url "$URL" >/dev/null || exit 1
export DATABASE_URL="$URL"
run() { echo "\$ shop $*"; $SHOP "$@"; echo "exit $?"; }
run add-user ada --email ada@example.com
run set-email ada ada@lovelace.example
run set-email bob bob@example.com
run set-email ada ada@again.example
run set-email
echo "-- what the database holds after all that:"
run list-users
$CLI_DB query "$URL" "SELECT id, username, email FROM users ORDER BY id"
