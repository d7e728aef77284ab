# A value added to an enum is taken out again by the downgrade, exactly:
# autogenerate writes `alter enum E drop value 'x'` as the inverse of `add
# value`; on PostgreSQL the type is recreated without the value (columns
# converted, their defaults kept), on MariaDB each column of the enum gets
# the shorter ENUM, on SQLite each table with a column of the enum is
# rebuilt with the shorter CHECK. Afterwards the database
# refuses the value. While a row holds the value the downgrade is refused,
# naming the rows, and the database is left as it was.
. "$SRC/tests/cli/migrate.sh"
new_project
sed -e "s|^schema = .*|schema = models.rt|" retort.ini >retort.ini.new && mv retort.ini.new retort.ini
v=migrations/versions

# What the database accepts for the enum: its type (PostgreSQL), the
# columns' ENUM (MariaDB), or the table's CHECK (SQLite).
show_enum() {
  case $BACKEND in
    postgresql)
      "$CLI_DB" query "$URL" "SELECT enum_range(NULL::color)::text AS color"
      ;;
    mariadb)
      "$CLI_DB" query "$URL" "SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, COLUMN_DEFAULT AS def
        FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
        AND TABLE_NAME = 'items' ORDER BY ORDINAL_POSITION"
      ;;
    *)
      "$CLI_DB" query "$URL" "SELECT sql FROM sqlite_master WHERE name = 'items'"
      ;;
  esac
}

cat >models.rt <<'RT'
enum Color { red, green }
table items {
  id     bigint  primary key
  color  Color   server default red
  other  Color?
}
RT
retort -q revision --autogenerate -m "items" --rev-id c0100000000a
retort -q upgrade head
"$CLI_DB" exec "$URL" "INSERT INTO items (id, other) VALUES (1, 'green')"

sed 's/^enum Color { red, green }$/enum Color { red, green, blue }/' models.rt >edited && mv edited models.rt
retort revision --autogenerate -m "blue" --rev-id c0100000000b
echo "== revision: exit $?"
sed -n '/^upgrade {$/,$p' $v/c0100000000b_blue.rt
retort upgrade head
echo "== upgrade head: exit $?"
show_enum
echo "== blue is accepted"
"$CLI_DB" exec "$URL" "INSERT INTO items (id, color) VALUES (9, 'blue')" "DELETE FROM items WHERE id = 9"
echo "exit $?"

retort downgrade -1
echo "== downgrade -1 (no row holds blue): exit $?"
show_enum
"$CLI_DB" query "$URL" "SELECT id, color, other FROM items ORDER BY id"
echo "== blue is refused"
"$CLI_DB" exec "$URL" "INSERT INTO items (id, color) VALUES (9, 'blue')" 2>&1 | sed 's/^/  /'
"$CLI_DB" query "$URL" "SELECT count(*) AS n FROM items WHERE id = 9"
echo "== the column default still works"
"$CLI_DB" exec "$URL" "INSERT INTO items (id) VALUES (2)"
"$CLI_DB" query "$URL" "SELECT id, color FROM items WHERE id = 2"

retort -q upgrade head
echo "== rows hold blue"
"$CLI_DB" exec "$URL" "INSERT INTO items (id, color, other) VALUES (3, 'blue', 'blue'), (4, 'green', 'blue')"
retort downgrade -1
echo "== downgrade -1: exit $?"
"$CLI_DB" query "$URL" "SELECT version_num FROM alembic_version"
show_enum
"$CLI_DB" query "$URL" "SELECT id, color, other FROM items ORDER BY id"

echo "== once the rows no longer hold it"
"$CLI_DB" exec "$URL" "UPDATE items SET color = 'red' WHERE color = 'blue'" \
  "UPDATE items SET other = NULL WHERE other = 'blue'"
retort downgrade -1
echo "== downgrade -1: exit $?"
show_enum
"$CLI_DB" query "$URL" "SELECT id, color, other FROM items ORDER BY id"
