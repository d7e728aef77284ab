SELECT NEXTVAL(film_code_seq)
SELECT NEXTVAL(film_code_seq)
