CREATE TABLE authors (
  id INTEGER PRIMARY KEY,
  name VARCHAR(100) NOT NULL UNIQUE,
  email TEXT,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  active BOOLEAN DEFAULT 1,
  rating NUMERIC(3,1) DEFAULT 2.5);
CREATE TABLE books (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  author_id INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
  title VARCHAR(200) NOT NULL,
  isbn CHAR(13) UNIQUE,
  price NUMERIC(8,2) CHECK (price >= 0),
  published DATE,
  pages INTEGER DEFAULT 0,
  cover BLOB,
  CHECK (pages >= 0 OR pages IS NULL));
CREATE INDEX books_title_idx ON books (title);
CREATE UNIQUE INDEX books_author_title ON books (author_id, title);
CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE book_tags (
  book_id INTEGER NOT NULL REFERENCES books(id),
  tag_id INTEGER NOT NULL REFERENCES tags(id) ON UPDATE CASCADE,
  note JSON,
  PRIMARY KEY (book_id, tag_id));
