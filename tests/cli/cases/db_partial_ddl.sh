# A revision whose third statement fails, run as the backend runs it
# (no `transaction none`). Where DDL is transactional the revision is
# rolled back whole. Where it is not (every DDL statement commits by
# itself), the two statements before stay applied and the progress is
# recorded; `current` and `history` name the failed statement; a
# downgrade from there undoes exactly what ran (the schema is the
# previous revision's, as inspect reads it); upgrade resumes at the
# failed statement once its cause is fixed.
. "$SRC/tests/cli/migrate.sh"
new_project
v=migrations/versions
retort -q revision -m "create items" --rev-id f1a000000001
fill $v/f1a000000001_create_items.rt \
  "  create table items {\n    id    bigint      primary key\n    name  string(20)\n  }\n  insert into items (id, name) values (1, 'one'), (2, 'one')" \
  "  drop table items"
retort -q revision -m "tags and unique names" --rev-id f1a000000002
s=$v/f1a000000002_tags_and_unique_names.rt
fill $s \
  "  create table tags {\n    id     bigint      primary key\n    label  string(20)\n  }\n  add column items.code string(10)?\n  create unique index ux_items_name on items (name)\n  rename column items.code to sku\n  create index ix_tags_label on tags (label)" \
  "  drop index ix_tags_label\n  rename column items.sku to code\n  drop index ux_items_name\n  drop column items.code\n  drop table tags"
cat $s
retort -q upgrade f1a000000001
retort inspect >before.rt

echo "== the third statement fails"
retort upgrade head
echo "exit $?"
retort current
retort history -i
"$CLI_DB" query "$URL" "SELECT revision, direction, statements, done, running_to, failed_at FROM retort_migration_progress"
"$CLI_DB" tables "$URL" | grep -v '^alembic_version\|^retort_'

echo "== downgrade to the revision before"
retort downgrade f1a000000001
echo "exit $?"
retort current
"$CLI_DB" query "$URL" "SELECT count(*) FROM retort_migration_progress"
retort inspect >after.rt
cmp before.rt after.rt && echo "the schema is f1a000000001's"

echo "== the cause fixed, upgrade again"
"$CLI_DB" exec "$URL" "UPDATE items SET name = 'two' WHERE id = 2"
retort upgrade head
echo "exit $?"
retort current
"$CLI_DB" query "$URL" "SELECT count(*) FROM retort_migration_progress"
"$CLI_DB" query "$URL" "SELECT revision, direction FROM retort_history ORDER BY id"
retort inspect | grep -v '^#'

echo "== downgrade and upgrade again"
retort downgrade -1
echo "exit $?"
retort inspect >after.rt
cmp before.rt after.rt && echo "the schema is f1a000000001's"
retort upgrade head
echo "exit $?"
retort current
