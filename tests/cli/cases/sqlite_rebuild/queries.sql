.headers off
.mode list
SELECT 'nocase lookup:', id, name FROM people WHERE email = 'alice@EXAMPLE.COM';
SELECT 'view:', id, email, name FROM adults ORDER BY id;
SELECT 'partial index:', id FROM people WHERE age >= 18 ORDER BY id;
EXPLAIN QUERY PLAN SELECT id FROM people WHERE age >= 18;
SELECT 'expression index:', id FROM people WHERE lower(name) = 'bob';
EXPLAIN QUERY PLAN SELECT id FROM people WHERE lower(name) = 'bob';
SELECT 'tags nocase:', code FROM tags WHERE label = 'RED';
EXPLAIN QUERY PLAN SELECT code FROM tags WHERE weight > 10;
SELECT 'view on two tables:', title, name FROM team_members ORDER BY name;
BEGIN;
DELETE FROM teams WHERE id = 1;
SELECT 'other table''s trigger:', id, team_id FROM people ORDER BY id;
ROLLBACK;
BEGIN;
INSERT INTO people (id, email, name, age, team_id) VALUES (4, 'dan@example.com', 'Dan', 40, 2);
SELECT 'trigger:', person_id, what FROM audit;
ROLLBACK;
.bail off
INSERT INTO people (id, email, name, age) VALUES (5, 'eve@example.com', 'Eve', 'old');
INSERT INTO people (id, email, name, age) VALUES (6, 'ALICE@example.com', 'Al', 1);
INSERT INTO people (id, email, name, age, team_id) VALUES (7, 'x@example.com', 'BOB', 1, 2);
INSERT INTO tags VALUES ('green', 'Green', 1);
