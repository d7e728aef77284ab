SELECT NEXTVAL(film_code_seq)
