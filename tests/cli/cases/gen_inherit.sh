# `retort gen` of single-table inheritance: a subclass's struct starts with
# its parent's, its description names its parent, identity and
# discriminator, the root's lists its subclasses. A joined-table subclass
# (a table of its own) is refused: the ORM does not map it yet.
cat >staff.rt <<'RT'
model Staff identity 'staff' {
  id    bigint      primary key
  kind  string(20)
  discriminator kind
}
model Manager extends Staff identity 'manager' {
  budget  int
}
RT
"$RETORT" --schema staff.rt gen -o out
echo "exit $?"
sed -n '/^struct Manager {/,/^};/p' out/staff.h
sed -n '/^static const Manager Manager_defaults/,/^};/p' out/staff.c
grep -n '\.parent\|\.identity\|\.discriminator\|\.subclass' out/staff.c
echo '--- joined'
cat >joined.rt <<'RT'
model Staff {
  id    bigint      primary key
  kind  string(20)
  discriminator kind
}
model Engineer extends Staff table engineers identity 'engineer' {
  language  text
}
RT
"$RETORT" --schema joined.rt gen -o joined
echo "exit $?"
