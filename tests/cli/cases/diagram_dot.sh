# The example's diagram as Graphviz source; -o FILE.dot picks the format.
"$RETORT" -c "$SRC/examples/shop/retort.ini" diagram --format dot
"$RETORT" -q -c "$SRC/examples/shop/retort.ini" diagram -o shop.dot
head -n 1 shop.dot
