CREATE TYPE mood AS ENUM ('happy', 'sad', 'meh');
CREATE TABLE authors (
  id SERIAL PRIMARY KEY,
  name VARCHAR(100) NOT NULL UNIQUE,
  email TEXT,
  created_at TIMESTAMP NOT NULL DEFAULT now(),
  active BOOLEAN DEFAULT true,
  mood mood DEFAULT 'meh',
  rating NUMERIC(3,1) DEFAULT 2.5);
CREATE TABLE books (
  id SERIAL PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
  title VARCHAR(200) NOT NULL,
  isbn CHAR(13) UNIQUE,
  price NUMERIC(8,2) CHECK (price >= 0),
  published DATE,
  pages INTEGER DEFAULT 0,
  stock INTEGER DEFAULT +5,
  cover BYTEA,
  CHECK (pages >= 0 OR pages IS NULL));
CREATE INDEX books_title_idx ON books (title);
CREATE UNIQUE INDEX books_author_title ON books (author_id, title);
CREATE TABLE tags (id BIGSERIAL PRIMARY KEY, label TEXT NOT NULL, uid UUID);
CREATE TABLE book_tags (
  book_id INTEGER NOT NULL REFERENCES books(id),
  tag_id BIGINT NOT NULL REFERENCES tags(id) ON UPDATE CASCADE,
  note JSONB,
  PRIMARY KEY (book_id, tag_id));
COMMENT ON TABLE books IS 'what the shop sells';