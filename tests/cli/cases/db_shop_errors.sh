# Every bad input the shop program's --help lists gets a one-line error, a
# non-zero exit status, and changes nothing in the database.
$RETORT sql create --execute --schema "$SRC/examples/shop/models.rt" --url "$URL" >/dev/null || exit 1
export DATABASE_URL="$URL"
run() { echo "\$ shop $*"; $SHOP "$@"; echo "exit $?"; }
run add-user ada --email ada@example.com --first Ada --last Lovelace
run add-product lamp 19.90
# a user name that is taken (and the profile given with it is not kept)
run add-user ada --first Other
# an unknown user, an unknown product
run add-post --user nobody "A title"
run add-to-cart --user ada sofa
# a price that is not a number, a negative price
run add-product desk cheap
run add-product desk -5
# a name too long for its column (products.name is string(20))
run add-product "a product name much too long" 1.00
# a product already in the cart
run add-to-cart --user ada lamp
run add-to-cart --user ada lamp
# unknown commands and options, missing arguments
run frobnicate
run add-user
run list-users --colour
echo "-- what the database holds after all that:"
run list-users
run show-cart --user ada
$CLI_DB query "$URL" "SELECT COUNT(*) FROM profiles"
$CLI_DB query "$URL" "SELECT COUNT(*) FROM products"
