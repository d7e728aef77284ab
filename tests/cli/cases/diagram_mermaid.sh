# The example's diagram in Mermaid (the default format), on stdout or into
# a file with -o.
"$RETORT" -c "$SRC/examples/shop/retort.ini" diagram >stdout.mmd
status=$?
cat stdout.mmd
"$RETORT" -c "$SRC/examples/shop/retort.ini" diagram --format mermaid -o shop.mmd
cmp stdout.mmd shop.mmd && echo "(-o shop.mmd holds the same)"
exit $status
