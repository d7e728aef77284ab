# `retort gen` of single-table inheritance: a subclass's struct starts with
# its parent's, its description names its parent, identity and
# discriminator, the root's lists its subclasses. A joined-table subclass
# (a table of its own) is mapped the same way, its description marked
# joined; one whose column has the name of another column of its tree is
# refused (a polymorphic query reads them side by side).
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
sed -n '/^struct Engineer {/,/^};/p' joined/joined.h
grep -n '\.table\|\.parent\|\.joined\|\.column_count' joined/joined.c
echo '--- clash'
cat >clash.rt <<'RT'
model Staff {
  id    bigint      primary key
  kind  string(20)
  name  text
  discriminator kind
}
model Engineer extends Staff table engineers identity 'engineer' {
  name  text
}
RT
"$RETORT" --schema clash.rt gen -o clash
echo "exit $?"
