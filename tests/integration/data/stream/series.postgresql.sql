-- g and 'row g' for g from 1 to the parameter, in order: no rows for 0.
SELECT g, 'row ' || g FROM generate_series(1, CAST(? AS INTEGER)) g
