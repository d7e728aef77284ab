# PostgreSQL DDL from a URL with a password that must never be printed,
# whatever the verbosity.
# needs: postgresql
"$RETORT" -v -c "$SRC/examples/shop/retort.ini" --url postgresql://u:secret@h/db sql create >out 2>err
status=$?
cat out
cat err >&2
if grep -q secret out err; then echo "the password was printed"; exit 1; fi
exit $status
