-- 1000 rows whose 500th fails as it is computed (division by zero).
SELECT 1000 / (g - 500) FROM generate_series(1, 1000) g
