# Models whose tables are not named by the default rule, through the whole
# autogenerate workflow: `table 'customer'` (a singular name, as `retort
# inspect` writes one for every table it finds), a model whose table name
# is no plural of it (Order in purchase_orders), keys between them and a
# plain table. The scripts autogenerate writes parse (`create table`
# names the table itself), upgrade and check agree, a second revision
# adds a column and a model, and downgrade base leaves only the version
# table.
. "$SRC/tests/cli/migrate.sh"
new_project
sed -e "s|^schema = .*|schema = models.rt|" retort.ini >retort.ini.new && mv retort.ini.new retort.ini
v=migrations/versions

cat >models.rt <<'RT'
model Customer {
  table 'customer'
  id      bigint      primary key
  name    string(50)  unique
  orders  Order[]     back customer
}

model Order {
  table 'purchase_orders'
  comment 'what customers ordered'
  id           bigint      primary key
  customer_id  bigint      references customer(id) on delete cascade
  placed_at    timestamp?
  customer     Customer    back orders
  index (placed_at)
}

table order_line {
  order_id  bigint  references purchase_orders(id)
  line      int
  primary key (order_id, line)
}
RT

retort revision --autogenerate -m "first" --rev-id 7a0000000001
echo "== revision: exit $?"
cat $v/7a0000000001_first.rt
retort upgrade head
echo "== upgrade head: exit $?"
"$CLI_DB" tables "$URL"
"$CLI_DB" exec "$URL" "INSERT INTO customer (id, name) VALUES (1, 'ann')" \
  "INSERT INTO purchase_orders (id, customer_id) VALUES (10, 1)" \
  "INSERT INTO order_line (order_id, line) VALUES (10, 1)"
retort check
echo "== check: exit $?"

# a column for Customer, and a model in a table of its own name
awk '{ print } /^  name    string\(50\)  unique$/ { print "  email   string(255)?" }' models.rt >models.rt.new
mv models.rt.new models.rt
cat >>models.rt <<'RT'

model Person {
  table 'staff'
  id    bigint  primary key
  name  text
}
RT
retort revision --autogenerate -m "second" --rev-id 7a0000000002
echo "== revision: exit $?"
cat $v/7a0000000002_second.rt
retort upgrade head
echo "== upgrade head: exit $?"
retort check
echo "== check: exit $?"
"$CLI_DB" query "$URL" "SELECT id, name, email FROM customer"

retort downgrade -1
echo "== downgrade -1: exit $?"
"$CLI_DB" tables "$URL" | grep -E '^(customer|staff):'
"$CLI_DB" query "$URL" "SELECT id, name FROM customer"
retort downgrade base
echo "== downgrade base: exit $?"
"$CLI_DB" tables "$URL"
