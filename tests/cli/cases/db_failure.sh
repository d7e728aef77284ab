# A failing operation: the message names the script, the line and the
# database's error; the run rolls back, so the database stays at the
# revision it last committed -- with one transaction per run (the default)
# and with transaction_per_revision. And `upgrade head` at head does
# nothing.
. "$SRC/tests/cli/migrate.sh"
new_project
v=migrations/versions
retort -q revision -m "create items" --rev-id f0a000000001
fill $v/f0a000000001_create_items.rt \
  "  create table items {\n    id    bigint      primary key\n    name  string(20)\n  }\n  insert into items (id, name) values (1, 'one'), (2, 'two')" \
  "  drop table items"
retort -q revision -m "items unique name" --rev-id f0a000000002
fill $v/f0a000000002_items_unique_name.rt \
  "  add column items.code string(10)?\n  execute 'UPDATE items SET code = ''same'''\n  add unique uq_items_code on items (code)" \
  "  drop constraint uq_items_code on items\n  drop column items.code"
cat $v/f0a000000002_items_unique_name.rt

echo "== from base, one transaction: nothing stays"
retort upgrade head
echo "exit $?"
retort current
"$CLI_DB" tables "$URL"

echo "== from f0a000000001"
retort upgrade +1
echo "exit $?"
retort upgrade head
echo "exit $?"
retort current
"$CLI_DB" tables "$URL" | grep '^items:'
"$CLI_DB" query "$URL" "SELECT id, name FROM items ORDER BY id"

echo "== transaction_per_revision = true, from base"
retort -q downgrade base
sed 's/^transaction_per_revision = false/transaction_per_revision = true/' retort.ini >r.ini && mv r.ini retort.ini
retort upgrade head
echo "exit $?"
retort current
"$CLI_DB" query "$URL" "SELECT revision, direction FROM retort_history ORDER BY id"

echo "== fixed, then upgrade head twice: the second does nothing"
sed "s/SET code = ''same''/SET code = ''c'' || id/" $v/f0a000000002_items_unique_name.rt >fixed && mv fixed $v/f0a000000002_items_unique_name.rt
sed -n 's/^  execute/&/p' $v/f0a000000002_items_unique_name.rt
retort upgrade head
echo "exit $?"
retort upgrade head
echo "exit $?"
retort current
"$CLI_DB" query "$URL" "SELECT id, name, code FROM items ORDER BY id"
