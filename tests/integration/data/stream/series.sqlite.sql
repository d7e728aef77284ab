-- g and 'row g' for g from 1 to the parameter, in order: no rows for 0.
WITH RECURSIVE p(n) AS (SELECT ?),
  c(g) AS (SELECT 1 FROM p WHERE n >= 1 UNION ALL SELECT g + 1 FROM c, p WHERE g < n)
SELECT g, 'row ' || g FROM c
