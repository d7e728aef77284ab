SELECT nextval('film_number_seq')
