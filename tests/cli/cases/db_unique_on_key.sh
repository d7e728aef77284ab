# Unique constraints on the primary key's columns, on each backend.
# PostgreSQL's CREATE TABLE drops such a constraint without a word (the
# key's index already enforces it), so retort adds it by ALTER TABLE after
# the table; SQLite keeps it inline. Either way the database has it when
# read back (check, inspect), and a later drop constraint finds it: a
# table with one is dropped, its downgrade re-creates it, and downgrade
# base then drops the constraint.
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
table items {
  id    bigint  primary key
}
MODELS
step "items" a1000000000a

sed 's/^  id    bigint  primary key$/&\n  unique u_items_id (id)/' models.rt >edited && mv edited models.rt
step "a unique constraint on the key" a1000000000b

cat >models.rt <<'MODELS'
table pairs {
  a  int
  b  int
  primary key (a, b)
  unique u_pairs_ab (a, b)
  unique u_pairs_ba (b, a)
  unique u_pairs_b (b)
  unique u_pairs_b2 (b)
}
MODELS
step "pairs instead of items" a1000000000c
echo "== the SQL"
retort upgrade a1000000000b:a1000000000c --sql | grep -v '^--'
echo "== read back"
retort inspect

retort -q downgrade base
echo "== downgrade base: exit $?"
"$CLI_DB" tables "$URL"
