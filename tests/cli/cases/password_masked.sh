# A failed connection's message shows the URL with its password masked, on
# one line.
# needs: postgresql
url=postgresql://app:secret@127.0.0.1:1/app
"$RETORT" --url "$url" inspect >out 2>err
echo "inspect: exit status $?"
"$RETORT" -v --url "$url" --schema "$SRC/examples/shop/models.rt" sql create --execute >>out 2>>err
echo "sql create --execute: exit status $?"
grep -o '^retort: error: could not connect to postgresql://app:\*\*\*@127.0.0.1:1/app' err
wc -l <err
if grep -q secret out err; then echo "the password was printed"; else echo "no password anywhere"; fi
