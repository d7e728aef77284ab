# Objects nobody told retort about: a table, a view, indexes (one with a
# DESC key, which a model's index cannot have) and a trigger made by hand
# on a database the scripts manage. autogenerate and check
# list each once as not managed and never drop it; it survives upgrade and
# downgrade; a table a script made and the models lost is still dropped;
# include_objects / exclude_objects narrow what is looked at; and
# --drop-unmanaged drops them, with a downgrade that makes them again (on
# PostgreSQL also a function and an enum type; an aggregate with a moving
# state, which the language cannot declare and the database cannot render,
# is refused by name; on MariaDB also a function,
# a procedure, an event, a sequence, and prefix and FULLTEXT indexes).
. "$SRC/tests/cli/migrate.sh"
new_project
v=migrations/versions
cat >models.rt <<'MODELS'
model Author {
  id    bigint      primary key
  name  string(80)
}
MODELS
retort -q revision --autogenerate -m "create authors" --rev-id 0a0000000001
retort -q upgrade head

case $URL in
  sqlite*)
    "$CLI_DB" exec "$URL" \
      "CREATE TABLE legacy_stuff (id INTEGER PRIMARY KEY, note TEXT)" \
      "CREATE VIEW author_names AS SELECT name FROM authors" \
      "CREATE INDEX ix_legacy_name ON authors (name)" \
      "CREATE INDEX ix_legacy_recent ON authors (id) WHERE id > 100" \
      "CREATE INDEX ix_legacy_newest ON authors (id DESC)" \
      "CREATE TRIGGER legacy_touch AFTER INSERT ON authors BEGIN INSERT INTO legacy_stuff (note) VALUES (NEW.name); END"
    show() {
      "$CLI_DB" query "$URL" "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite%' ORDER BY type, name"
    }
    ;;
  postgresql*)
    "$CLI_DB" exec "$URL" \
      "CREATE TABLE legacy_stuff (id serial PRIMARY KEY, note text)" \
      "CREATE VIEW author_names AS SELECT name FROM authors" \
      "CREATE INDEX ix_legacy_name ON authors (name)" \
      "CREATE INDEX ix_legacy_recent ON authors (id) WHERE id > 100" \
      "CREATE INDEX ix_legacy_newest ON authors (id DESC)" \
      "CREATE INDEX ix_legacy_prefix ON authors (name text_pattern_ops)" \
      "CREATE FUNCTION legacy_note() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN INSERT INTO legacy_stuff (note) VALUES (NEW.name); RETURN NEW; END \$\$" \
      "CREATE TRIGGER legacy_touch AFTER INSERT ON authors FOR EACH ROW EXECUTE FUNCTION legacy_note()" \
      "CREATE TYPE legacy_mood AS ENUM ('calm', 'busy')"
    show() {
      "$CLI_DB" query "$URL" "SELECT kind, name, on_table FROM (
          SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'i' THEN 'index' ELSE 'sequence' END AS kind,
                 c.relname AS name, t.relname AS on_table
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_index x ON x.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = x.indrelid
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'i', 'S')
          UNION ALL SELECT 'trigger', g.tgname, c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid WHERE NOT g.tgisinternal
          UNION ALL SELECT 'function', p.proname, NULL FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
          UNION ALL SELECT 'type', t.typname, NULL FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'
        ) AS o ORDER BY kind, name COLLATE \"C\""
    }
    ;;
  mysql*)
    "$CLI_DB" exec "$URL" \
      "CREATE TABLE legacy_stuff (id int AUTO_INCREMENT PRIMARY KEY, note text)" \
      "CREATE VIEW author_names AS SELECT name FROM authors" \
      "CREATE INDEX ix_legacy_name ON authors (name)" \
      "CREATE INDEX ix_legacy_recent ON authors (name(3))" \
      "CREATE INDEX ix_legacy_newest ON authors (id DESC)" \
      "CREATE FULLTEXT INDEX ix_legacy_words ON legacy_stuff (note)" \
      "CREATE TRIGGER legacy_touch AFTER INSERT ON authors FOR EACH ROW BEGIN INSERT INTO legacy_stuff (note) VALUES (NEW.name); END" \
      "CREATE FUNCTION legacy_twice(x int) RETURNS int DETERMINISTIC RETURN x * 2" \
      "CREATE PROCEDURE legacy_fill() BEGIN INSERT INTO legacy_stuff (note) VALUES ('filled'); END" \
      "CREATE EVENT legacy_sweep ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE DO DELETE FROM legacy_stuff" \
      "CREATE SEQUENCE legacy_seq START WITH 20 INCREMENT BY 5"
    show() {
      "$CLI_DB" query "$URL" "SELECT kind, name, on_table FROM (
          SELECT CASE TABLE_TYPE WHEN 'VIEW' THEN 'view' WHEN 'SEQUENCE' THEN 'sequence' ELSE 'table' END AS kind,
                 TABLE_NAME AS name, NULL AS on_table
            FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
          UNION SELECT 'index', INDEX_NAME, TABLE_NAME FROM information_schema.STATISTICS
            WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY'
          UNION ALL SELECT 'trigger', TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
          UNION ALL SELECT lower(ROUTINE_TYPE), ROUTINE_NAME, NULL FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()
          UNION ALL SELECT 'event', EVENT_NAME, NULL FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()
        ) AS o ORDER BY kind, BINARY name, BINARY on_table"
    }
    ;;
esac
"$CLI_DB" exec "$URL" "INSERT INTO authors (id, name) VALUES (1, 'Ann')"
show

echo "== inspect names what the models cannot declare"
retort -q inspect

echo "== check: nothing to do, the objects listed once"
retort check
echo "exit $?"

echo "== autogenerate: a new model; nothing of the rest is dropped"
cat >>models.rt <<'MODELS'
model Book {
  id     bigint       primary key
  title  string(200)
}
MODELS
retort revision --autogenerate -m "create books" --rev-id 0a0000000002
echo "exit $?"
sed -n '/^upgrade/,$p' $v/0a0000000002_create_books.rt
retort -q upgrade head
show
retort -q downgrade -1
show
retort -q upgrade head
retort check
echo "exit $?"

echo "== a table a script made and the models lost is still dropped"
sed '/^model Book/,$d' models.rt >models.new && mv models.new models.rt
retort revision --autogenerate -m "drop books" --rev-id 0a0000000003
echo "exit $?"
sed -n '/^upgrade/,$p' $v/0a0000000003_drop_books.rt
retort -q upgrade head
show

echo "== exclude_objects and include_objects narrow what is looked at"
retort check --exclude-object 'legacy_*' --exclude-object author_names
echo "exit $?"
printf 'exclude_objects = legacy_*, ix_legacy_recent\n' >>retort.ini
retort check
echo "exit $?"
sed '/^exclude_objects/d' retort.ini >retort.new && mv retort.new retort.ini
printf 'include_objects = authors, author_*\n' >>retort.ini
retort check
echo "exit $?"
sed '/^include_objects/d' retort.ini >retort.new && mv retort.new retort.ini
# A model whose table is excluded is not compared either (something else
# manages it): a column the database lacks is no drift, and neither its
# indexes nor its trigger are listed.
sed 's/^  name  string(80)$/  name  string(80)\n  born  int?/' models.rt >models.new && mv models.new models.rt
retort check --exclude-object authors
echo "exit $?"
retort check 2>/dev/null
echo "exit $?"
sed '/^  born  int?$/d' models.rt >models.new && mv models.new models.rt
retort revision -m "no autogenerate" --drop-unmanaged
echo "exit $?"

echo "== --drop-unmanaged drops them; downgrade makes them again"
retort revision --autogenerate --drop-unmanaged -m "drop legacy" --rev-id 0a0000000004
echo "exit $?"
sed -n '/^upgrade/,$p' $v/0a0000000004_drop_legacy.rt
retort -q upgrade head
show
retort check
echo "exit $?"
retort -q downgrade -1
show
"$CLI_DB" exec "$URL" "INSERT INTO authors (id, name) VALUES (2, 'Bob')"
"$CLI_DB" query "$URL" "SELECT note FROM legacy_stuff"
"$CLI_DB" query "$URL" "SELECT name FROM author_names ORDER BY name"
rm $v/0a0000000004_drop_legacy.rt
retort check
echo "exit $?"

case $URL in
  postgresql*)
    echo "== what the database cannot give the definition of is not dropped"
    "$CLI_DB" exec "$URL" "CREATE AGGREGATE legacy_sum (int) (SFUNC = int4pl, STYPE = int, MSFUNC = int4pl, MINVFUNC = int4mi, MSTYPE = int)"
    retort revision --autogenerate --drop-unmanaged -m "drop more" --rev-id 0a0000000005
    echo "exit $?"
    ls $v
    ;;
esac
