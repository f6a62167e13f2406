-- Return 2b: reviews by PN code in the report's scheme ($scheme), for every LA, reporting year
-- and review type. Reviews that could not be mapped are a category of their own ('not mapped'),
-- so every scheme's total is all reviews (and the two schemes' totals give nothing away).
-- pn_codes_in_scheme: the CTE of queries/pn_codes_in_scheme.sql.
SELECT la_code, wave, review_type, coalesce(code, 'not mapped') AS category, count(*) AS n
FROM pn_codes_in_scheme
GROUP BY ALL;
