-- Reviews whose PN code (in $scheme) is one of $codes, out of the reviews that could be mapped;
-- the reviews that could not be mapped are "not answered". For every LA, reporting year and review type.
-- pn_codes_in_scheme: the CTE of queries/pn_codes_in_scheme.sql.
SELECT la_code, wave, review_type,
       count(*) FILTER (WHERE list_contains($codes, code)) AS positive,
       count(*) FILTER (WHERE code IS NOT NULL)            AS answered,
       count(*) FILTER (WHERE code IS NULL)                AS not_answered
FROM pn_codes_in_scheme
GROUP BY ALL;
