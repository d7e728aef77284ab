-- An existing database, made by hand as its users made it: what retort's
-- models cannot say (STRICT, WITHOUT ROWID, COLLATE NOCASE, a trigger, a
-- partial and an expression index, a view) next to what they can.
CREATE TABLE teams (
  id     INTEGER PRIMARY KEY,
  title  TEXT NOT NULL
);
CREATE TABLE people (
  id        INTEGER PRIMARY KEY,
  email     TEXT NOT NULL COLLATE NOCASE,
  name      TEXT,
  age       INTEGER,
  nickname  TEXT CHECK (length(nickname) <= 20),
  team_id   INTEGER REFERENCES teams (id)
) STRICT;
CREATE UNIQUE INDEX ux_people_email ON people (email);
CREATE INDEX ix_people_adults ON people (age) WHERE age >= 18;
CREATE INDEX ix_people_lower_name ON people (lower(name));
CREATE UNIQUE INDEX ux_people_team_name ON people (team_id, name COLLATE NOCASE)
  WHERE team_id IS NOT NULL;
CREATE TABLE audit (
  person_id  INTEGER,
  what       TEXT
);
CREATE TRIGGER tr_people_audit AFTER INSERT ON people
BEGIN
  INSERT INTO audit (person_id, what) VALUES (new.id, 'joined ' || new.email);
END;
CREATE VIEW adults AS SELECT id, email, name FROM people WHERE age >= 18;
CREATE VIEW team_members AS
  SELECT t.title, p.name FROM teams AS t JOIN people AS p ON p.team_id = t.id;
CREATE TRIGGER tr_teams_gone AFTER DELETE ON teams
BEGIN
  UPDATE people SET team_id = NULL WHERE team_id = old.id;
END;
CREATE TABLE tags (
  code    TEXT NOT NULL PRIMARY KEY,
  label   TEXT COLLATE NOCASE,
  weight  INTEGER
) WITHOUT ROWID;
CREATE INDEX ix_tags_heavy ON tags (weight) WHERE weight > 10;
CREATE TRIGGER tr_tags_upper BEFORE INSERT ON tags
WHEN new.code <> upper(new.code)
BEGIN
  SELECT RAISE(ABORT, 'tag codes are upper case');
END;

INSERT INTO teams VALUES (1, 'red'), (2, 'blue');
INSERT INTO people VALUES
  (1, 'Alice@Example.com', 'Alice', 34, 'al', 1),
  (2, 'bob@example.com', 'Bob', 12, NULL, 2),
  (3, 'CAROL@EXAMPLE.COM', 'Carol', 19, 'cc', NULL);
INSERT INTO tags VALUES ('RED', 'Red', 20), ('BLUE', 'Blue', 5);
