# Without retort.ini, --schema or --url, each command says in one line what
# it lacks (exit 1); a -c file that does not exist is an error too.
# needs: postgresql mariadb
"$RETORT" sql create
echo "exit status $?"
"$RETORT" --schema "$SRC/examples/shop/models.rt" sql create
echo "exit status $?"
"$RETORT" diagram
echo "exit status $?"
"$RETORT" inspect
echo "exit status $?"
"$RETORT" -c nowhere.ini sql
echo "exit status $?"
