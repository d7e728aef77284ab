# The acceptance command: SQLite DDL for the example schema, from another
# folder; x.db is not created (printing connects to nothing).
"$RETORT" sql create --url sqlite:///x.db -c "$SRC/examples/shop/retort.ini"
status=$?
ls
exit $status
