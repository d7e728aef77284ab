-- Column types MariaDB has and the schema language has no word for, as a
-- database made by hand holds them: each must come back verbatim
-- (sql '...') or as the language's type MariaDB spells this way.
CREATE TABLE documents (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code CHAR(3) NOT NULL,
  tiny TINYINT,
  medium MEDIUMINT UNSIGNED,
  y YEAR,
  flags SET('a', 'b', 'c') DEFAULT 'a,b',
  bits BIT(8),
  f FLOAT,
  digest BINARY(16),
  token VARBINARY(40),
  note TINYTEXT,
  body MEDIUMTEXT,
  stamp DATETIME,
  amount DECIMAL(10, 2) DEFAULT 0.00,
  KEY ix_documents_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE pairs (
  a INT UNSIGNED NOT NULL,
  b BIGINT NOT NULL,
  label VARCHAR(20) DEFAULT 'none',
  PRIMARY KEY (a, b),
  CONSTRAINT fk_pairs_doc FOREIGN KEY (a) REFERENCES documents (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
