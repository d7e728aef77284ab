# A SQLite table rebuild keeps what the models do not describe. The
# database of sqlite_rebuild/schema.sql is made by hand, as an existing
# one would be: STRICT and WITHOUT ROWID tables, COLLATE NOCASE columns,
# triggers, partial and expression indexes, views. Its models are what
# `retort inspect` writes (sqlite_rebuild/models.rt); the first revision
# creates them and is stamped, not run. Then each change that rebuilds a
# table, through `revision --autogenerate` + `upgrade head`, then
# `downgrade -1`; then a hand-written script with several of them. After
# each, every index, trigger and view is still there as it was stored,
# the tables keep their options, and the queries of
# sqlite_rebuild/queries.sql (a NOCASE lookup, the views, the triggers'
# effects, plans through the partial and expression indexes, STRICT and
# WITHOUT ROWID behaviour) print what they printed before. Last, changes
# the rebuild cannot carry (dropping a column a view, trigger or index
# uses) are refused by name, the database file byte-identical.
. "$SRC/tests/cli/migrate.sh"
new_project
data=$SRC/tests/cli/cases/sqlite_rebuild
v=migrations/versions

set_url() {
  sed "s|^url = .*|url = sqlite:///$1|" retort.ini >retort.ini.new && mv retort.ini.new retort.ini
}

# Everything but the tables' own text, in a stable order; then each
# table's options.
objects() {
  sqlite3 app.db "SELECT type, name, tbl_name, sql FROM sqlite_master
                  WHERE type <> 'table' ORDER BY type, name"
  sqlite3 app.db "SELECT name, ncol, wr, strict FROM pragma_table_list
                  WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' ORDER BY name"
}
# sqlite3 words its errors differently from version to version.
errors() {
  sed -E 's/^(Runtime error near line [0-9]+:|Error: stepping,|Error:) /error: /'
}
queries() {
  sqlite3 app.db <"$data/queries.sql" 2>&1 | errors
}
tables() {
  sqlite3 app.db "SELECT sql FROM sqlite_master WHERE name IN ('people', 'tags')
                  ORDER BY name"
}
compare() {
  objects >objects.now
  queries >queries.now
  if cmp -s objects.base objects.now; then echo "objects: same"; else
    diff objects.base objects.now; fi
  if cmp -s queries.base queries.now; then echo "queries: same"; else
    diff queries.base queries.now; fi
}

sqlite3 app.db <"$data/schema.sql"
cp "$data/models.rt" models.rt
set_url scratch.db
retort -q revision --autogenerate -m "adopt" --rev-id 0a0000000001
set_url app.db
rm -f scratch.db
retort -q stamp head
objects >objects.base
queries >queries.base
echo "== the database as made by hand"
tables
cat queries.base

# change LABEL SED-SCRIPT: edits the models, autogenerates, upgrades,
# compares; downgrades, compares; then forgets the revision.
change() {
  echo
  echo "== $1"
  cp models.rt models.before
  sed "$2" models.before >models.rt
  retort -q revision --autogenerate -m "$1" --rev-id 0b0000000001
  sed -n '/^upgrade {$/,/^}$/p' $v/0b0000000001_*.rt
  retort -q upgrade head
  echo "upgrade exit $?"
  tables
  compare
  retort -q downgrade -1
  echo "downgrade exit $?"
  compare
  rm $v/0b0000000001_*.rt
  mv models.before models.rt
}

change "type change" 's/^  label   text?/  label   string(40)?/; s/^  age       int?/  age       bigint?/'
change "null to not null" 's/^  name      text?/  name      text/'
change "not null to null" 's/^  email     text /  email     text? /'
change "add check" "s/^  age       int?/  age       int?    check 'age >= 0'/"
change "drop check" "s/ check 'length(nickname) <= 20'//"
change "add unique" 's/^  weight  int?/  weight  int?   unique/'
change "drop foreign key" 's/ references teams(id)$//; /^  team  /d; /^  people  /d'
change "drop column" '/^  nickname  /d'
change "server default" 's/^  weight  int?/  weight  int?   server default 1/'

echo
echo "== a hand-written script"
retort -q revision -m "by hand" --rev-id 0c0000000001
fill $v/0c0000000001_by_hand.rt \
  "  alter column people.age type bigint\n  alter column people.name not null\n  add check ck_tags_weight on tags 'weight > 0'\n  add unique uq_people_nickname on people (nickname)\n  drop column people.nickname\n  alter column tags.weight server default 5" \
  "  alter column tags.weight drop server default\n  add column people.nickname text? check 'length(nickname) <= 20'\n  drop constraint ck_tags_weight on tags\n  alter column people.name null\n  alter column people.age type int"
sed -n '/^upgrade {$/,$p' $v/0c0000000001_by_hand.rt
retort -q upgrade head
echo "upgrade exit $?"
tables
compare
retort -q downgrade -1
echo "downgrade exit $?"
compare
rm $v/0c0000000001_by_hand.rt

echo
echo "== what a rebuild cannot carry is refused, the file untouched"
cp app.db app.db.before
retort -q revision -m "drop team" --rev-id 0d0000000001
fill $v/0d0000000001_drop_team.rt "  drop column people.team_id" \
  "  add column people.team_id int? references teams(id)"
retort -q upgrade head
echo "upgrade exit $?"
cmp app.db.before app.db && echo "app.db: byte-identical"
retort current
rm $v/0d0000000001_drop_team.rt
retort -q revision -m "drop age" --rev-id 0d0000000002
fill $v/0d0000000002_drop_age.rt "  add check ck_people_age on people 'age >= 0'\n  drop column people.age" \
  "  add column people.age int?"
retort -q upgrade head
echo "upgrade exit $?"
cmp app.db.before app.db && echo "app.db: byte-identical"
rm $v/0d0000000002_drop_age.rt

echo
echo "== a failed rebuild names the table, not the rebuild's temporary one"
retort -q revision -m "bad data" --rev-id 0e0000000001
fill $v/0e0000000001_bad_data.rt "  alter column people.nickname not null" \
  "  alter column people.nickname null"
retort -q upgrade head
echo "upgrade exit $?"
rm $v/0e0000000001_bad_data.rt
retort -q revision -m "bad type" --rev-id 0e0000000002
fill $v/0e0000000002_bad_type.rt "  alter column people.email type int" \
  "  alter column people.email type text"
retort -q upgrade head
echo "upgrade exit $?"
cmp app.db.before app.db && echo "app.db: byte-identical"

echo
echo "== columns and constraints no script made are kept"
sqlite3 app.db "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT CHECK (length(body) < 10),
                owner INTEGER, mood TEXT DEFAULT 'calm' COLLATE NOCASE,
                size INTEGER GENERATED ALWAYS AS (length(body)) VIRTUAL,
                UNIQUE (owner, body), FOREIGN KEY (owner) REFERENCES people
                ON DELETE CASCADE)"
retort -q revision -m "notes" --rev-id 0f0000000001
fill $v/0f0000000001_notes.rt "  create table notes {\n    id  bigint  primary key\n    body  text?\n    owner  int?\n  }" \
  "  drop table notes"
retort -q stamp head
retort -q revision -m "notes body" --rev-id 0f0000000002
fill $v/0f0000000002_notes_body.rt "  alter column notes.body not null" "  alter column notes.body null"
sqlite3 app.db "INSERT INTO notes (id, body, owner, mood) VALUES (1, 'short', 1, 'Glad')"
retort -q upgrade head
echo "upgrade exit $?"
sqlite3 app.db "SELECT sql FROM sqlite_master WHERE name = 'notes'"
sqlite3 app.db "SELECT id, body, owner, mood, size FROM notes WHERE mood = 'GLAD'"
sqlite3 app.db "INSERT INTO notes (id, body, owner) VALUES (2, 'far too long', 1)" 2>&1 | errors
sqlite3 app.db "INSERT INTO notes (id, body, owner) VALUES (3, 'short', 1)" 2>&1 | errors
sqlite3 app.db "PRAGMA foreign_keys = ON; DELETE FROM people WHERE id = 1; SELECT count(*) FROM notes"

echo
echo "== a generated column the models take for a plain one is refused"
sqlite3 app.db "CREATE TABLE calc (id INTEGER PRIMARY KEY, a INTEGER,
                b INTEGER GENERATED ALWAYS AS (a * 2) STORED)"
retort -q revision -m "calc" --rev-id 0f0000000003
fill $v/0f0000000003_calc.rt "  create table calc {\n    id  bigint  primary key\n    a  int?\n    b  int?\n  }" \
  "  drop table calc"
retort -q stamp head
cp app.db app.db.before
retort -q revision -m "calc a" --rev-id 0f0000000004
fill $v/0f0000000004_calc_a.rt "  alter column calc.a type bigint" "  alter column calc.a type int"
retort -q upgrade head
echo "upgrade exit $?"
cmp app.db.before app.db && echo "app.db: byte-identical"
