# retort check, the CI drift check: clean (exit 0), the models ahead of
# the database, a database behind the scripts, two heads, and an applied
# script edited afterwards -- which current -v reports and upgrade refuses
# until it is restored or --ignore-checksums is given.
. "$SRC/tests/cli/migrate.sh"
new_project
v=migrations/versions
cat >models.rt <<'MODELS'
model Author {
  id    bigint      primary key
  name  string(80)
}
MODELS
retort -q revision --autogenerate -m "create authors" --rev-id c4ec00000001
retort -q upgrade head

echo "== clean"
retort check
echo "exit $?"

echo "== the models changed"
cat >>models.rt <<'MODELS'
model Book {
  id         bigint       primary key
  title      string(200)  index
  author_id  bigint       references authors(id)
}
MODELS
retort check
echo "exit $?"
retort check --against history
echo "exit $?"

echo "== a new script, not applied yet"
retort -q revision --autogenerate -m "create books" --rev-id c4ec00000002
retort check
echo "exit $?"
retort check --against history
echo "exit $?"
retort upgrade head
retort check
echo "exit $?"

echo "== two heads"
retort -q revision -m "side branch" --head c4ec00000001 --splice --rev-id c4ec0000000b
retort check --against history
echo "exit $?"
rm $v/c4ec0000000b_side_branch.rt

echo "== an applied script edited"
sed 's/string(80)/string(100)/' $v/c4ec00000001_create_authors.rt >edited && mv edited $v/c4ec00000001_create_authors.rt
retort check
echo "exit $?"
retort current -v
echo "exit $?"
retort downgrade -1
echo "exit $?"
retort current
retort downgrade -1 --ignore-checksums
echo "exit $?"
retort current
retort upgrade head
echo "exit $?"
