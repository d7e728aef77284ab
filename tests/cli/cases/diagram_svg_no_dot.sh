# Without Graphviz on PATH, --format svg says what to install (exit 1).
PATH=/nonexistent "$RETORT" -c "$SRC/examples/shop/retort.ini" diagram --format svg
echo "exit status $?"
PATH=/nonexistent "$RETORT" -c "$SRC/examples/shop/retort.ini" diagram --format dot | head -n 1
