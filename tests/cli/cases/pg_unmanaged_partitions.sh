# A partitioned table and indexes the schema language cannot declare:
# inspect writes the partitioned table with its partition by, and each
# partition (a partition of a partition too) as a table partition of it;
# an index with a key in an operator class of its own or with NULLS FIRST
# is not a model's index but an object not managed, with its definition
# (one of another method, gin, is a model's). Models that keep the
# partitioned table but not its partitions leave the partitions not
# managed: autogenerate never proposes to drop one, not even with
# --drop-unmanaged, which drops and makes again the indexes exactly as
# they were; the rows stay where they are.
. "$SRC/tests/cli/migrate.sh"
databases=pg_unmanaged_partitions
"$CLI_DB" fresh "$RETORT_PG_URL" $databases || exit 1
trap '"$CLI_DB" drop "$RETORT_PG_URL" $databases >/dev/null 2>&1' EXIT
URL=${RETORT_PG_URL%/*}/$databases
new_project
v=migrations/versions
"$CLI_DB" exec "$URL" \
  "CREATE TABLE docs (id bigint PRIMARY KEY, title text NOT NULL, body tsvector, code integer)" \
  "CREATE INDEX ix_docs_body ON docs USING gin (body)" \
  "CREATE INDEX ix_docs_title ON docs (title text_pattern_ops)" \
  "CREATE INDEX ix_docs_first ON docs (code NULLS FIRST)" \
  "CREATE INDEX ix_docs_code ON docs (code)" \
  "CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, kind text NOT NULL) PARTITION BY RANGE (at)" \
  "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (kind)" \
  "CREATE TABLE events_2024_a PARTITION OF events_2024 FOR VALUES IN ('a')" \
  "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')" \
  "INSERT INTO events VALUES (1, '2024-03-01', 'a'), (2, '2025-03-01', 'b')" || exit 1
show() {
  "$CLI_DB" query "$URL" "SELECT c.relname, c.relkind, coalesce(pg_get_expr(c.relpartbound, c.oid), '') AS bound,
      CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) ELSE '' END AS key
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relname LIKE 'events%' AND c.relkind IN ('r', 'p') ORDER BY 1"
  "$CLI_DB" query "$URL" "SELECT tableoid::regclass AS part, id FROM events ORDER BY id"
  "$CLI_DB" query "$URL" "SELECT indexdef FROM pg_indexes WHERE tablename = 'docs' ORDER BY indexname"
}
show >before

echo "== inspect"
retort inspect -o models.rt
echo "exit $?"
cat models.rt
sed -i 's|^schema = .*|schema = models.rt|' retort.ini
# The partitions are left out of the models: not managed from here on.
sed -i '/ partition of /d' models.rt

echo "== adopt: an empty revision at the head, then check"
retort -q revision -m "adopt" --rev-id 0c0000000001
retort -q stamp head
retort check
echo "exit $?"

echo "== --drop-unmanaged: the two indexes, never a partition"
retort -q revision --autogenerate --drop-unmanaged -m "drop them" --rev-id 0c0000000002
echo "exit $?"
sed -n '/^upgrade/,$p' $v/0c0000000002_drop_them.rt
retort -q upgrade head
echo "exit $?"
show
echo "== downgrade: each index is back as it was"
retort -q downgrade -1
echo "exit $?"
show >after
diff before after && echo "the same"
