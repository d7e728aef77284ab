-- Types the schema language has no word for: each must come back verbatim
-- (sql '...') and a database made from the file must hold the same types;
-- the domains come back as the file's `domain`s.
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE DOMAIN short_code AS varchar(8) DEFAULT 'x' NOT NULL;
CREATE TABLE documents (
  id bigserial PRIMARY KEY,
  code char(3) NOT NULL,
  flag character,
  tags text[] NOT NULL DEFAULT '{}',
  grid integer[][],
  body tsvector,
  doc json,
  meta jsonb,
  span interval,
  span_ds interval day to second,
  addr inet,
  net cidr,
  mac macaddr,
  amount numeric,
  ratio numeric(5),
  money_v money,
  at3 timestamp(3),
  atz3 timestamptz(0),
  t_tz timetz,
  t2 time(2),
  bits bit(4),
  vbits varbit(10),
  pt point,
  rating positive_int,
  short short_code,
  x xml,
  f float4,
  d float8,
  i4 int4,
  v varchar,
  b bpchar(5)
);
CREATE TABLE ranked (
  id integer PRIMARY KEY,
  doc_id bigint NOT NULL REFERENCES documents (id),
  score positive_int NOT NULL DEFAULT 1
);
