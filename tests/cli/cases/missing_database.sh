# Commands that only read (current, history --indicate-current, check) on
# an SQLite database whose file does not exist: they do not create it.
# current and history take it as a database at no revision (what Alembic
# prints for an empty one) and say so; check, which needs the database at
# the head, fails naming the file. upgrade creates it, as before.
. "$SRC/tests/cli/migrate.sh"
new_project
retort -q revision -m "first" --rev-id d00000000001
echo "== current"
retort current
echo "exit $?"
retort -q current
echo "exit $?"
echo "== history --indicate-current"
retort history --indicate-current
echo "exit $?"
echo "== check"
cp "$SRC/examples/shop/models.rt" models.rt 2>/dev/null || :
retort check
echo "exit $?"
ls app.db 2>/dev/null || echo "no app.db"
echo "== upgrade creates it"
retort -q upgrade head
echo "exit $?"
retort current
ls app.db
