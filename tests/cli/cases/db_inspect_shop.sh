# The example schema, created with `sql create --execute`, inspected, and
# the inspected file created again: both databases hold the same schema.
"$RETORT" -c "$SRC/examples/shop/retort.ini" --url "$URL" sql create --execute || exit 1
"$RETORT" --url "$URL" inspect -o shop.rt || exit 1
cat shop.rt
"$RETORT" -q --schema shop.rt --url "$URL2" sql create --execute || exit 1
"$CLI_DB" compare "$URL" "$URL2" && echo "the inspected schema rebuilds the same database"
