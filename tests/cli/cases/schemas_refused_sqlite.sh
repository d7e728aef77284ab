# PostgreSQL's schemas on SQLite: retort.ini's schemas listing another
# schema than public, version_table_schema and a script's create schema
# are refused by name, before anything is read or made.
. "$SRC/tests/cli/migrate.sh"
new_project
v=migrations/versions
echo 'model Account { id bigint primary key }' >models.rt
retort -q revision --autogenerate -m init --rev-id 0e0000000001
retort -q upgrade head

echo "== schemas = public, billing"
echo 'schemas = public, billing' >>retort.ini
retort check
echo "exit $?"
retort inspect
echo "exit $?"
sed -i '/^schemas = /d' retort.ini

echo "== version_table_schema = meta"
echo 'version_table_schema = meta' >>retort.ini
retort upgrade head --sql
echo "exit $?"
retort current
echo "exit $?"
sed -i '/^version_table_schema = /d' retort.ini

echo "== create schema in a script"
retort -q revision -m schema --rev-id 0e0000000002
fill $v/0e0000000002_schema.rt '  create schema billing' '  drop schema billing'
retort upgrade head
echo "exit $?"
retort current
