-- Return 2b: reviews by PN code in the report's scheme ($scheme), for every LA, reporting year
-- and review type. category NULL counts the reviews that could not be mapped.
-- pn_codes_in_scheme: the CTE of queries/pn_codes_in_scheme.sql.
SELECT la_code, wave, review_type, code AS category, count(*) AS n
FROM pn_codes_in_scheme
GROUP BY ALL;
