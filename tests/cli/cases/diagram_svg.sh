# --format svg runs Graphviz's dot (the test suite needs it installed).
"$RETORT" -c "$SRC/examples/shop/retort.ini" diagram --format svg >shop.svg
echo "exit status $?"
grep -c '<svg' shop.svg
grep -c '<title>users</title>' shop.svg
"$RETORT" -c "$SRC/examples/shop/retort.ini" diagram -o picture.svg
grep -c '<svg' picture.svg
