# `sql drop`: the statements that drop everything, in reverse order.
# needs: postgresql
"$RETORT" -c "$SRC/examples/shop/retort.ini" --url sqlite:///x.db sql drop
echo "exit status $?"
"$RETORT" -c "$SRC/examples/shop/retort.ini" sql drop --dialect postgresql
