# --drop-unmanaged on every kind of object reflection lists: views reading
# views, an index with a key of its own collation, a trigger on a view; on PostgreSQL also a
# domain, a composite type, a sequence, a function, a materialized view
# with an index; on MariaDB also a sequence, a function, a procedure, an
# event, a prefix index and a trigger on the table (and a FULLTEXT index,
# a model's index the models lack). The
# downgrade makes each again exactly as it was: the database's own
# description of them is the same before and after.
. "$SRC/tests/cli/migrate.sh"
new_project
v=migrations/versions
cat >models.rt <<'MODELS'
model Author {
  id    bigint      primary key
  name  string(80)
}
MODELS
retort -q revision --autogenerate -m "create authors" --rev-id 0b0000000001
retort -q upgrade head

case $URL in
  sqlite*)
    "$CLI_DB" exec "$URL" \
      "CREATE VIEW v_names AS SELECT id, name FROM authors" \
      "CREATE VIEW v_short AS SELECT id FROM v_names WHERE length(name) < 4" \
      "CREATE INDEX ix_nocase_name ON authors (name COLLATE NOCASE)" \
      "CREATE TRIGGER v_names_insert INSTEAD OF INSERT ON v_names BEGIN INSERT INTO authors (id, name) VALUES (NEW.id, NEW.name); END"
    show() {
      "$CLI_DB" query "$URL" "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite%' AND name NOT IN ('alembic_version', 'retort_history', 'pk_retort_history') ORDER BY type, name"
    }
    ;;
  postgresql*)
    "$CLI_DB" exec "$URL" \
      "CREATE DOMAIN short_name AS varchar(20) DEFAULT 'x' NOT NULL CONSTRAINT short_name_check CHECK (VALUE <> '')" \
      "CREATE TYPE pair AS (a integer, b text)" \
      "CREATE SEQUENCE ticket_seq AS integer INCREMENT BY 5 MINVALUE 10 MAXVALUE 1000 START WITH 20 CACHE 2 CYCLE" \
      "CREATE FUNCTION twice(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT x * 2'" \
      "CREATE VIEW v_names AS SELECT id, name, twice(id::integer) AS doubled FROM authors" \
      "CREATE VIEW v_short WITH (security_barrier = true) AS SELECT id FROM v_names WHERE length(name) < 4 WITH CHECK OPTION" \
      "CREATE MATERIALIZED VIEW m_names AS SELECT id, name FROM authors WITH NO DATA" \
      "CREATE INDEX ix_m_names ON m_names (lower(name))"
    show() {
      "$CLI_DB" query "$URL" "SELECT kind, name, definition FROM (
          SELECT 'view' AS kind, c.relname AS name, c.relkind::text || ' ' || coalesce(array_to_string(c.reloptions, ','), '') || ' ' || c.relispopulated || ' ' || pg_get_viewdef(c.oid) AS definition
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')
          UNION ALL SELECT 'index', i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid WHERE c.relname IN ('authors', 'm_names')
          UNION ALL SELECT 'function', p.proname, pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
          UNION ALL SELECT 'sequence', s.seqrelid::regclass::text, s.seqtypid::regtype || ' ' || s.seqincrement || ' ' || s.seqmin || ' ' || s.seqmax || ' ' || s.seqstart || ' ' || s.seqcache || ' ' || s.seqcycle FROM pg_sequence s WHERE s.seqrelid::regclass::text = 'ticket_seq'
          UNION ALL SELECT 'type', t.typname, t.typtype::text || ' ' || format_type(t.typbasetype, t.typtypmod) || ' ' || t.typnotnull || ' ' || coalesce(t.typdefault, '')
                 || ' ' || coalesce((SELECT string_agg(k.conname || ' ' || pg_get_constraintdef(k.oid), ',') FROM pg_constraint k WHERE k.contypid = t.oid), '')
                 || ' ' || coalesce((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ',' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0), '')
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typname IN ('short_name', 'pair')
        ) AS o ORDER BY kind, name COLLATE \"C\""
    }
    ;;
  mysql*)
    # MariaDB has no expression indexes and no triggers on views: a prefix
    # and a FULLTEXT index, a trigger on the table; a procedure made under
    # a sql_mode of its own, which it keeps.
    "$CLI_DB" exec "$URL" \
      "CREATE SEQUENCE ticket_seq INCREMENT BY 5 MINVALUE 10 MAXVALUE 1000 START WITH 20 CACHE 2 CYCLE" \
      "CREATE FUNCTION twice(x integer) RETURNS integer DETERMINISTIC RETURN x * 2" \
      "SET STATEMENT sql_mode = 'STRICT_ALL_TABLES' FOR CREATE PROCEDURE greet(IN who varchar(20)) BEGIN SELECT concat(\"hi \", who) AS greeting; END" \
      "CREATE VIEW v_names AS SELECT id, name, twice(id) AS doubled FROM authors" \
      "CREATE SQL SECURITY INVOKER VIEW v_short AS SELECT id FROM v_names WHERE length(name) < 4 WITH CHECK OPTION" \
      "CREATE INDEX ix_name_prefix ON authors (name(3))" \
      "CREATE FULLTEXT INDEX ix_name_words ON authors (name)" \
      "CREATE TRIGGER authors_trim BEFORE INSERT ON authors FOR EACH ROW SET NEW.name = trim(NEW.name)" \
      "CREATE EVENT sweep ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' ON COMPLETION PRESERVE DISABLE COMMENT 'nightly' DO DELETE FROM authors WHERE name = ''"
    show() {
      "$CLI_DB" query "$URL" "SELECT kind, name, definition FROM (
          SELECT 'view' AS kind, TABLE_NAME AS name,
                 concat_ws(' ', CHECK_OPTION, SECURITY_TYPE, ALGORITHM, VIEW_DEFINITION) AS definition
            FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()
          UNION ALL SELECT 'index', INDEX_NAME, concat_ws(' ', TABLE_NAME, INDEX_TYPE, NON_UNIQUE,
                 group_concat(concat_ws(' ', COLUMN_NAME, SUB_PART) ORDER BY SEQ_IN_INDEX))
            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'authors'
            GROUP BY TABLE_NAME, INDEX_NAME, INDEX_TYPE, NON_UNIQUE
          UNION ALL SELECT lower(ROUTINE_TYPE), ROUTINE_NAME, concat_ws(' ', DTD_IDENTIFIER, IS_DETERMINISTIC,
                 SQL_DATA_ACCESS, SECURITY_TYPE, SQL_MODE, ROUTINE_DEFINITION)
            FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()
          UNION ALL SELECT 'trigger', TRIGGER_NAME, concat_ws(' ', EVENT_OBJECT_TABLE, ACTION_TIMING,
                 EVENT_MANIPULATION, ACTION_ORIENTATION, SQL_MODE, ACTION_STATEMENT)
            FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
          UNION ALL SELECT 'event', EVENT_NAME, concat_ws(' ', EVENT_TYPE, INTERVAL_VALUE, INTERVAL_FIELD,
                 STARTS, STATUS, ON_COMPLETION, EVENT_COMMENT, TIME_ZONE, SQL_MODE, EVENT_DEFINITION)
            FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()
          UNION ALL SELECT 'sequence', TABLE_NAME, NULL
            FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'SEQUENCE'
        ) AS o ORDER BY kind, BINARY name"
      "$CLI_DB" query "$URL" "SELECT minimum_value, maximum_value, start_value, increment, cache_size, cycle_option FROM ticket_seq" 2>&1
    }
    ;;
esac
show >before
cat before

echo "== check lists them"
retort check
echo "exit $?"

echo "== --drop-unmanaged"
retort -q revision --autogenerate --drop-unmanaged -m "drop them" --rev-id 0b0000000002
echo "exit $?"
sed -n '/^upgrade/,$p' $v/0b0000000002_drop_them.rt
retort -q upgrade head
echo "exit $?"
show
retort check
echo "exit $?"

echo "== downgrade: each is back as it was"
retort -q downgrade -1
echo "exit $?"
show >after
diff before after && echo "the same"
