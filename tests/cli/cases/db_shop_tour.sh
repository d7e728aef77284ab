# The example program's tour (issue 4's example): a user with a profile and
# posts, a cart with products, a filtered query, eager loading, an update,
# a unique violation reported as an error, a cascading delete. The tables
# come from the models' DDL.
$RETORT sql create --execute --schema "$SRC/examples/shop/models.rt" --url "$URL" >/dev/null || exit 1
$SHOP --url "$URL" tour
