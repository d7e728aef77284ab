SELECT nextval('film_code_seq')
