# The shop program's ship-paid, a set-based update: one UPDATE sets every
# paid cart (or one user's) to shipped, without loading the carts, and says
# how many it changed; open carts and carts already shipped stay as they
# are.
$RETORT sql create --execute --schema "$SRC/examples/shop/models.rt" --url "$URL" >/dev/null || exit 1
export DATABASE_URL="$URL"
run() { echo "\$ shop $*"; $SHOP "$@"; echo "exit $?"; }
run add-user ada
run add-user bob
run add-user cy
run add-product lamp 19.90
for user in ada bob cy; do run add-to-cart --user $user lamp >/dev/null; done
run pay --user ada
run pay --user bob
run ship-paid --user bob
run ship-paid --user nobody
run ship-paid
run ship-paid
run ship-paid extra
echo "-- what the database holds after all that:"
$CLI_DB query "$URL" "SELECT u.username, c.status FROM carts c JOIN users u ON u.id = c.user_id ORDER BY u.username"
