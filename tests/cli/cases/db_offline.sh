# --sql: offline mode writes the SQL of a run, transactions and version
# table included, for the database's dialect, and touches no database.
. "$SRC/tests/cli/migrate.sh"
new_project
v=migrations/versions
retort -q revision -m "create tags" --rev-id 7a9000000001
fill $v/7a9000000001_create_tags.rt \
  "  create table tags {\n    id    bigint      primary key\n    name  string(40)  unique\n  }" \
  "  drop table tags"
retort -q revision -m "tag color" --rev-id 7a9000000002
fill $v/7a9000000002_tag_color.rt \
  "  add column tags.color string(7)? server default '#000000'\n  create index ix_tags_color on tags (color)" \
  "  drop index ix_tags_color\n  drop column tags.color"

echo "== upgrade head --sql"
retort upgrade head --sql
echo "exit $?"
echo "== upgrade 7a9000000001:head --sql"
retort upgrade 7a9000000001:head --sql
echo "exit $?"
echo "== downgrade head:base --sql"
retort downgrade head:base --sql
echo "exit $?"
echo "== downgrade -1 --sql (where from?)"
retort downgrade -1 --sql
echo "exit $?"
echo "== stamp head --sql"
retort stamp head --sql
echo "exit $?"
echo "== the database was not touched"
"$CLI_DB" tables "$URL"
retort current
echo "exit $?"
