-- 1000 rows whose 500th fails as it is computed: its subquery returns two
-- rows (MariaDB's division by zero is NULL and a warning, not an error).
SELECT COALESCE((SELECT s.seq FROM seq_1_to_2 s WHERE c.seq = 500), c.seq)
FROM seq_1_to_1000 c ORDER BY c.seq
