-- The objects of pagila.postgresql.sql that the schema language cannot
-- declare yet but the models inspect writes name, each of which inspect
-- names as not kept:
--   film.release_year is of the domain year, kept verbatim as sql 'year'
--     ("not kept: film.release_year: domain year ...");
--   payment.payment_id defaults to the next value of a sequence that no
--     column owns ("not kept: payment.payment_id: the sequence of DEFAULT
--     nextval('payment_payment_id_seq'::regclass) ...").
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
