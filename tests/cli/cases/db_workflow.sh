# The reference workflow of the migrations issue, word for word, on each
# backend: init, edit retort.ini (url, schema), autogenerate the first
# revision from the shop models, upgrade, add a nullable column
# description2 to Product, autogenerate and upgrade again, downgrade -1,
# history, current. Between the steps the database is looked at: the
# tables and alembic_version after upgrade head, rows kept through the
# downgrade that drops the column. Revision ids are fixed with --rev-id.
. "$SRC/tests/cli/migrate.sh"

retort init migrations
echo "== init: exit $?"
ls migrations migrations/versions

# edit retort.ini: url, schema
sed -e "s|^url = .*|url = $URL|" -e "s|^schema = .*|schema = models.rt|" retort.ini >edited.ini
mv edited.ini retort.ini
cp "$SRC/examples/shop/models.rt" models.rt

retort revision --autogenerate -m "init migration" --rev-id bb7e42472e18
echo "== revision: exit $?"
cat migrations/versions/bb7e42472e18_init_migration.rt

retort upgrade head
echo "== upgrade head: exit $?"
"$CLI_DB" tables "$URL"
"$CLI_DB" query "$URL" "SELECT version_num FROM alembic_version"
"$CLI_DB" exec "$URL" "INSERT INTO users (id, username) VALUES (1, 'ann')" \
  "INSERT INTO products (id, name, description, price) VALUES (1, 'tea', 'green', 3.50), (2, 'cup', NULL, 7.25)"

# add a nullable column description2 to Product in models.rt
awk '{ print } /^  description  text\?$/ { print "  description2 string?" }' models.rt >edited.rt
mv edited.rt models.rt

retort revision --autogenerate -m "add description2" --rev-id ae1027a6acf0
echo "== revision: exit $?"
cat migrations/versions/ae1027a6acf0_add_description2.rt

retort upgrade head
echo "== upgrade head: exit $?"
"$CLI_DB" query "$URL" "SELECT version_num FROM alembic_version"
"$CLI_DB" exec "$URL" "UPDATE products SET description2 = 'loose leaf' WHERE id = 1"
"$CLI_DB" query "$URL" "SELECT id, name, description, price, description2 FROM products ORDER BY id"

retort downgrade -1
echo "== downgrade -1: exit $?"
"$CLI_DB" tables "$URL" | grep '^products:'
"$CLI_DB" query "$URL" "SELECT * FROM products ORDER BY id"
"$CLI_DB" query "$URL" "SELECT id, username FROM users"
"$CLI_DB" query "$URL" "SELECT version_num FROM alembic_version"

retort history
echo "== history: exit $?"
retort current
echo "== current: exit $?"
