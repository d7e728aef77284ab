# --dialect prints DDL for a dialect without any database URL.
# needs: postgresql
cat >s.rt <<'RT'
enum Mood { happy, sad }
model Person {
  id    bigint  primary key
  name  string(40)  unique
  mood  Mood  server default happy
}
RT
"$RETORT" --schema s.rt sql --dialect sqlite
"$RETORT" --schema s.rt sql --dialect postgresql
