-- The objects of pagila.postgresql.sql that the schema language cannot
-- declare yet but the models inspect writes name, each of which inspect
-- names as not kept:
--   film.release_year is of the domain year, kept verbatim as sql 'year'
--     ("not kept: film.release_year: domain year ...");
--   payment.payment_id defaults to the next value of a sequence that no
--     column owns ("not kept: payment.payment_id: the sequence of DEFAULT
--     nextval('payment_payment_id_seq'::regclass) ...");
--   the views film_list, actor_info and nicer_but_slower_film_list use the
--     aggregate group_concat(text), which the language cannot declare
--     ("not managed: aggregate group_concat(text)"); it needs the function
--     _group_concat(text, text), which the models declare as the original
--     has it: made here first, the upgrade finds it made and leaves it.
-- The corpus test runs this on the empty database before `retort upgrade
-- head` builds the models there; the statements are those of
-- pagila.postgresql.sql, unchanged.
CREATE DOMAIN public.year AS integer
	CONSTRAINT year_check CHECK (((VALUE >= 1901) AND (VALUE <= 2155)));

CREATE SEQUENCE public.payment_payment_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

CREATE FUNCTION public._group_concat(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $_$
SELECT CASE
  WHEN $2 IS NULL THEN $1
  WHEN $1 IS NULL THEN $2
  ELSE $1 || ', ' || $2
END
$_$;

CREATE AGGREGATE public.group_concat(text) (
    SFUNC = public._group_concat,
    STYPE = text
);
