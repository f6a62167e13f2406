-- Reviews whose PN code (in $scheme) is one of $codes, out of all reviews (a review that cannot be
-- mapped, current PN0 or PN7, is one where no views were given). For every LA, reporting year and
-- review type.
-- pn_codes_in_scheme: the CTE of queries/pn_codes_in_scheme.sql.
SELECT la_code, wave, review_type,
       count(*) FILTER (WHERE list_contains($codes, code)) AS positive,
       count(*)                                            AS answered,
       0                                                   AS not_answered
FROM pn_codes_in_scheme
GROUP BY ALL;
