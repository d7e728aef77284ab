-- 1000 rows whose 500th fails as it is computed (json() of bad JSON).
WITH RECURSIVE c(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM c WHERE g < 1000)
SELECT CASE WHEN g = 500 THEN json('x') ELSE g END FROM c
