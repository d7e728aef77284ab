# Foreign keys and the unique keys they depend on, on each backend.
# PostgreSQL ties a foreign key to one unique index on the referenced
# columns (the oldest one, not always the primary key's) and refuses to
# drop that index while the key exists, so autogenerate drops a foreign
# key before any unique key on its referenced columns that goes, comes
# (the downgrade drops it) or changes, and adds it back afterwards:
#   - a foreign key and the unique index it uses, dropped together;
#   - a unique index on a primary key's columns, which a foreign key
#     re-added by a later downgrade comes to use (the primary key was
#     re-created since by a table rename), then downgrade base;
#   - a new table whose foreign key references its own unique index.
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
table codes {
  id    bigint      primary key
  code  string(10)
  unique index ux_codes_code (code)
}
table uses {
  id    bigint      primary key
  code  string(10)  references codes(code)
}
MODELS
step "codes" d1000000000a

sed -e '/^  unique index ux_codes_code/d' -e 's/ references codes(code)$//' models.rt >edited &&
  mv edited models.rt
step "drop the key and its user" d1000000000b

cat >models.rt <<'MODELS'
table accounts {
  id    bigint      primary key
}
table orders {
  id          bigint  primary key
  account_id  bigint  references accounts(id)
}
MODELS
step "accounts" d1000000000c

sed 's/^  id    bigint      primary key$/&\n  unique index ux_account_id (id)/' models.rt >edited && mv edited models.rt
step "a unique index on the key" d1000000000d

sed 's/ references accounts(id)$//' models.rt >edited && mv edited models.rt
step "drop the foreign key" d1000000000e

sed 's/^table accounts {$/table clients was accounts {/' models.rt >edited && mv edited models.rt
step "rename accounts" d1000000000f

cat >>models.rt <<'MODELS'
table nodes {
  id      bigint      primary key
  name    string(10)
  parent  string(10)? references nodes(name)
  unique index ux_nodes_name (name)
}
MODELS
step "a key to its own table's unique index" d1000000001a

retort -q downgrade base
echo "== downgrade base: exit $?"
"$CLI_DB" tables "$URL"
