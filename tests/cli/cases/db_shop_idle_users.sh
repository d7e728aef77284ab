# The shop program's list-idle-users, a NOT EXISTS along the carts
# relationship: the users who have never paid for a cart (no cart at all,
# or only an open one), and after a payment one fewer; a shipped cart
# was paid.
$RETORT sql create --execute --schema "$SRC/examples/shop/models.rt" --url "$URL" >/dev/null || exit 1
export DATABASE_URL="$URL"
run() { echo "\$ shop $*"; $SHOP "$@"; echo "exit $?"; }
run list-idle-users
run add-user ada
run add-user bob
run add-user cy
run add-product lamp 19.90
run add-to-cart --user ada lamp
run add-to-cart --user bob lamp
run pay --user bob
run list-idle-users
run pay --user ada
run ship-paid --user bob
run list-idle-users
run list-idle-users extra
echo "-- what the database holds after all that:"
$CLI_DB query "$URL" "SELECT u.username, c.status FROM users u LEFT JOIN carts c ON c.user_id = u.id ORDER BY u.username"
