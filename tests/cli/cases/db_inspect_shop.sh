# The example schema's DDL, printed by `sql create` and applied as it is,
# then inspected: the inspected file equals models.rt as models, and
# created again it gives the same database.
"$RETORT" -c "$SRC/examples/shop/retort.ini" --url "$URL" sql create > shop.sql || exit 1
"$CLI_DB" exec "$URL" - < shop.sql || exit 1
"$RETORT" --url "$URL" inspect -o shop.rt || exit 1
cat shop.rt
"$CLI_DB" same-models "$URL" "$SRC/examples/shop/models.rt" shop.rt && echo "the inspected schema equals examples/shop/models.rt as models"
"$RETORT" -q --schema shop.rt --url "$URL2" sql create --execute || exit 1
"$CLI_DB" compare "$URL" "$URL2" && echo "the inspected schema rebuilds the same database"
