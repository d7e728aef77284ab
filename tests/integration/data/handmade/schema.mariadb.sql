-- A MariaDB database as people write it. The check on price is written at
-- table level: a column's own CHECK is MariaDB's spelling of json, and
-- reflection names any other in the schema's not-kept lines.
CREATE TABLE authors (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL UNIQUE,
  email TEXT,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active BOOLEAN DEFAULT true,
  mood ENUM('happy', 'sad', 'meh') DEFAULT 'meh',
  rating DECIMAL(3,1) DEFAULT 2.5);
CREATE TABLE books (
  id INT AUTO_INCREMENT PRIMARY KEY,
  author_id INT NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
  title VARCHAR(200) NOT NULL,
  isbn CHAR(13) UNIQUE,
  price DECIMAL(8,2),
  published DATE,
  pages INT DEFAULT 0,
  stock INT DEFAULT +5,
  cover BLOB,
  CHECK (price >= 0),
  CHECK (pages >= 0 OR pages IS NULL))
  COMMENT = 'what the shop sells';
CREATE INDEX books_title_idx ON books (title);
CREATE UNIQUE INDEX books_author_title ON books (author_id, title);
CREATE TABLE tags (id BIGINT AUTO_INCREMENT PRIMARY KEY, label TEXT NOT NULL, uid UUID);
CREATE TABLE book_tags (
  book_id INT NOT NULL REFERENCES books(id),
  tag_id BIGINT NOT NULL REFERENCES tags(id) ON UPDATE CASCADE,
  note JSON,
  PRIMARY KEY (book_id, tag_id));
