SELECT NEXTVAL(film_number_seq)
