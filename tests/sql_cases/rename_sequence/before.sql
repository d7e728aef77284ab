SELECT nextval('film_code_seq')
SELECT nextval('film_code_seq')
