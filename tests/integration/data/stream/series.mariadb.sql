-- g and 'row g' for g from 1 to the parameter, in order: no rows for 0.
-- A recursive CTE would stop at max_recursive_iterations (1000 by
-- default) with only a warning; the Sequence engine's table is read in
-- key order, without a sort.
SELECT seq AS g, CONCAT('row ', seq) FROM seq_1_to_100000000 WHERE seq <= ? ORDER BY seq
