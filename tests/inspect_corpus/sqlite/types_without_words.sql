-- Declared types SQLite keeps as written and the schema language has no
-- word for: each must come back verbatim (sql '...').
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  code CHAR(3) NOT NULL,
  body STRING,
  shape GEOMETRY,
  at DATETIME2,
  n INTEGER UNSIGNED,
  f MEDIUMTEXT,
  y YEAR,
  raw,
  amount DECIMAL(10, 2),
  pick VARCHAR(10) COLLATE NOCASE
);
CREATE TABLE pairs (
  a INTEGER NOT NULL,
  b BIGINT NOT NULL,
  label MONEY DEFAULT 0,
  PRIMARY KEY (a, b)
);
