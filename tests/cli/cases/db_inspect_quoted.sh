# A database whose SQL names are not identifiers ("Weird Table", a
# constraint "My PK", an index "my index", a column "Display Name") ->
# retort inspect -> a schema file that quotes them, which `retort sql
# create --execute` rebuilds in a fresh database that inspects to the same
# text (but for the header line).
# MariaDB names no constraint written on a column (and every primary key
# PRIMARY): there the unique key is the table's.
id_key='CONSTRAINT "My PK" PRIMARY KEY'
name_key='CONSTRAINT "name key" UNIQUE'
keys=""
if [ "$BACKEND" = mariadb ]; then
  id_key="PRIMARY KEY"
  name_key=""
  keys='CONSTRAINT "name key" UNIQUE ("Display Name"),'
fi
"$CLI_DB" exec "$URL" - <<SQL || exit 1
CREATE TABLE "Weird Table" (
  id INTEGER $id_key,
  "Display Name" TEXT $name_key,
  a INT,
  b INT,
  $keys
  CONSTRAINT "two col" UNIQUE (a, b)
);
CREATE INDEX "my index" ON "Weird Table" (a);
CREATE TABLE "a b" (
  x INTEGER REFERENCES "Weird Table" (id),
  y INTEGER REFERENCES "Weird Table" (id),
  PRIMARY KEY (x, y)
);
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  "say ""hi""" TEXT NOT NULL
);
CREATE TABLE "tag links" (
  person INTEGER NOT NULL REFERENCES "Weird Table" (id),
  tag INTEGER NOT NULL REFERENCES tags (id),
  CONSTRAINT "tag links pk" PRIMARY KEY (person, tag)
);
CREATE TABLE "my.notes" (
  id INTEGER PRIMARY KEY,
  a INTEGER REFERENCES "Weird Table" (id),
  "b.c" INTEGER REFERENCES "Weird Table" (id)
);
SQL

"$RETORT" --url "$URL" inspect -o first.rt || exit 1
cat first.rt
"$RETORT" --schema first.rt --url "$URL2" sql create --execute || exit 1
"$RETORT" -q --url "$URL2" inspect -o second.rt || exit 1
tail -n +2 first.rt >first.body
tail -n +2 second.rt >second.body
if cmp -s first.body second.body; then
  echo "the rebuilt database inspects to the same schema"
else
  diff -u first.body second.body
fi
"$CLI_DB" compare "$URL" "$URL2" && echo "and reflects equal to the original (RT_COMPARE_DATABASE)"
