-- The fleet matrix of `defcoop interop matrix --left all --right all`, as far as plain SQL can
-- say it: per domain, ordered pairs (a, b), a <> b, that are `na` (one side has no standard in
-- the domain), at level 3 (a shared standard tested or certified on both sides), or sharing a
-- standard without that (level 2 by the shared-standard rule alone; gateway paths, which need
-- recursive reachability, are left out). Same text on SQLite and PostgreSQL.
WITH shared AS (
    SELECT s.domain AS domain, a.system AS a, b.system AS b,
           MAX(CASE WHEN a.status <> 'claimed' AND b.status <> 'claimed' THEN 1 ELSE 0 END) AS tested
    FROM conformances a
    JOIN conformances b ON b.standard = a.standard AND b.system <> a.system
    JOIN standards s ON s.id = a.standard
    GROUP BY s.domain, a.system, b.system
),
participants AS (
    SELECT s.domain AS domain, COUNT(DISTINCT c.system) AS n
    FROM conformances c JOIN standards s ON s.id = c.standard
    GROUP BY s.domain
),
everyone AS (SELECT COUNT(*) AS n FROM systems)
SELECT d.code AS domain,
       (SELECT n * (n - 1) FROM everyone) - COALESCE(p.n * (p.n - 1), 0) AS na,
       COUNT(sh.a) - COALESCE(SUM(sh.tested), 0) AS shared_untested,
       COALESCE(SUM(sh.tested), 0) AS level3
FROM domains d
LEFT JOIN participants p ON p.domain = d.code
LEFT JOIN shared sh ON sh.domain = d.code
GROUP BY d.code, p.n
ORDER BY d.code;
