# Types the schema language has no word for, in a database made by hand:
# retort inspect keeps each verbatim (sql '<type as the database spells
# it>'), names what it cannot keep (a domain's definition, a generated
# column's expression, a sequence, an identity column outside a single
# integer key, expression and partial indexes) in '# not kept:' lines and on
# stderr,
# and check compares the types as the database spells them: no drift with
# the inspected file, drift with models that map a type to another one.
# A model's own spelling of a verbatim type is brought to PostgreSQL's
# (format_type()); SQLite keeps the declared text as written, so there a
# different spelling is a difference.
. "$SRC/tests/cli/migrate.sh"
new_project
if [ "$BACKEND" = postgresql ]; then
  "$CLI_DB" exec "$URL" - <<'SQL' || exit 1
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE TABLE documents (
  id         bigserial PRIMARY KEY,
  code       char(3) NOT NULL,
  tags       text[] NOT NULL DEFAULT '{}',
  body       tsvector,
  doc        json,
  meta       jsonb,
  span       interval,
  addr       inet,
  amount     numeric,
  at         timestamp(3),
  rating     positive_int,
  net        numeric(12,2) NOT NULL,
  tax        numeric(12,2) NOT NULL,
  total      numeric(12,2) GENERATED ALWAYS AS (net + tax) STORED
);
CREATE TABLE revisions (
  document_id  bigint NOT NULL REFERENCES documents (id),
  n            serial,
  m            integer GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (document_id, n)
);
CREATE INDEX documents_lower_code ON documents (lower(code));
CREATE INDEX documents_open ON documents (at) WHERE amount IS NULL;
SQL
else
  "$CLI_DB" exec "$URL" - <<'SQL' || exit 1
CREATE TABLE documents (
  id      INTEGER PRIMARY KEY,
  code    CHAR(3) NOT NULL,
  body    STRING,
  shape   GEOMETRY,
  at      DATETIME2,
  n       INTEGER UNSIGNED,
  raw,
  net     NUMERIC(12,2) NOT NULL,
  tax     NUMERIC(12,2) NOT NULL,
  total   NUMERIC(12,2) GENERATED ALWAYS AS (net + tax) STORED
);
CREATE INDEX documents_lower_code ON documents (lower(code));
CREATE INDEX documents_big ON documents (n) WHERE n > 100;
SQL
fi

echo "== inspect"
retort inspect -o models.rt
echo "exit $?"
cat models.rt

echo "== check against the inspected file"
retort check
echo "exit $?"

echo "== check against models with other types"
sed -e "s/sql 'character(3)'/string(3)/" -e "s/sql 'CHAR(3)'/string(3)/" -e "s/sql 'tsvector'/text/" \
    -e "s/sql 'STRING'/text/" -e "s/sql 'GEOMETRY'/blob/" models.rt >wrong.rt
retort --schema wrong.rt check
echo "exit $?"

echo "== a model spelling a verbatim type its own way"
sed -e "s/sql 'text\[\]'/sql 'TEXT []'/" -e "s/sql 'timestamp(3) without time zone'/sql 'timestamp(3)'/" \
    -e "s/sql 'GEOMETRY'/sql 'geometry'/" models.rt >spelled.rt
retort --schema spelled.rt check
echo "exit $?"
