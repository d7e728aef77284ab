# Branches and merges: a second head made with --splice and a branch
# label, what heads, branches and history show, `upgrade head` refusing
# several heads, ambiguous and unknown revisions, `upgrade heads`, a merge
# revision joining the heads, and downgrades across it.
. "$SRC/tests/cli/migrate.sh"
new_project
v=migrations/versions

retort revision -m "create accounts" --rev-id a1b2c3000001
fill $v/a1b2c3000001_create_accounts.rt \
  "  create table accounts {\n    id  bigint  primary key\n  }" "  drop table accounts"
retort revision -m "add accounts.email" --rev-id a1b2c3000002
fill $v/a1b2c3000002_add_accounts_email.rt \
  "  add column accounts.email string?" "  drop column accounts.email"
cat $v/a1b2c3000002_add_accounts_email.rt

echo "== a branch from a revision that is not a head"
retort revision -m "create orders" --head a1b2c3000001 --rev-id 0dd000000001
echo "exit $?"
retort revision -m "create orders" --head a1b2c3000001 --splice --branch-label orders \
  --rev-id 0dd000000001
echo "exit $?"
fill $v/0dd000000001_create_orders.rt \
  "  create table orders {\n    id  bigint  primary key\n  }" "  drop table orders"
retort revision -m "orders total" --head orders@head --rev-id 0dd000000002
fill $v/0dd000000002_orders_total.rt \
  "  add column orders.total numeric(10,2)?" "  drop column orders.total"
cat $v/0dd000000002_orders_total.rt

echo "== heads"
retort heads
echo "== branches"
retort branches
echo "== history"
retort history
echo "== history -r a1b2c3000001:orders@head"
retort history -r a1b2c3000001:orders@head

echo "== several heads"
retort upgrade head
echo "exit $?"
retort revision -m "next"
echo "exit $?"
echo "== an ambiguous prefix, an unknown revision"
retort show a1b2
echo "exit $?"
retort upgrade ffff
echo "exit $?"
retort show 0dd000000002
echo "exit $?"

echo "== upgrade heads"
retort upgrade heads
echo "exit $?"
retort current
echo "== the merge"
retort merge -m "join accounts and orders" heads --rev-id feed00000001
echo "exit $?"
cat $v/feed00000001_join_accounts_and_orders.rt
retort heads
retort history
retort history -i -r 0dd000000002:
retort upgrade head
retort current
echo "== down through the merge"
retort downgrade -1
echo "exit $?"
retort current
retort downgrade orders@base
echo "exit $?"
retort current
retort downgrade base
echo "exit $?"
retort current
echo "== merge of one revision"
retort merge a1b2c3000002
echo "exit $?"
