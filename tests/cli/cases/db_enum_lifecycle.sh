# Enum types through their life, on each backend: a column moved from an
# enum to a string while the models keep the enum, the enum then removed
# from the models, a column moved from one enum to another, the last
# column of an enum dropped with its enum, and everything downgraded. On
# SQLite the database keeps no enum types, so autogenerate names them as
# the scripts do: it never drops a type no script created, and drops the
# ones the scripts created once the models no longer have them.
. "$SRC/tests/cli/migrate.sh"
new_project
v=migrations/versions

step() {
  retort -q revision --autogenerate -m "$1" --rev-id "$2"
  echo "== $1: revision exit $?"
  sed -n '/^upgrade {$/,$p' $v/$2_*.rt
  retort -q upgrade head
  echo "upgrade exit $?"
  retort check >/dev/null
  echo "check exit $?"
}

cat >models.rt <<'MODELS'
enum Color { red, green }
enum Size { small, large }
enum Mood { calm, busy }
table items {
  id     bigint  primary key
  color  Color
  size   Size?
  mood   Mood?
}
MODELS
step "create items" e1000000000a
"$CLI_DB" exec "$URL" "INSERT INTO items (id, color, size, mood) VALUES (1, 'green', 'large', 'busy')"

sed 's/^  color  Color$/  color  string(20)/' models.rt >edited && mv edited models.rt
step "color to string" e1000000000b

sed '/^enum Color/d' models.rt >edited && mv edited models.rt
step "drop enum color" e1000000000c

sed -e 's/^enum Mood { calm, busy }$/enum Pace { calm, busy, fast }/' \
  -e 's/^  mood   Mood?$/  mood   Pace?/' models.rt >edited && mv edited models.rt
step "mood to pace" e1000000000d

sed -e '/^enum Size/d' -e '/^  size /d' models.rt >edited && mv edited models.rt
step "drop size" e1000000000e

"$CLI_DB" query "$URL" "SELECT id, color, mood FROM items"
retort -q downgrade base
echo "== downgrade base: exit $?"
"$CLI_DB" tables "$URL"
