-- Every review's PN code expressed in the report's scheme ($scheme: current | recommended),
-- through the crosswalk of the specification. NULL where the code cannot be mapped:
-- current PN0 (child under 4) has no recommended code; current PN7 may be recommended PN7 or PN8.
SELECT la_code,
       scheme  AS recorded_scheme,
       pn_code AS recorded_code,
       year(review_date) + CASE WHEN month(review_date) >= 4 THEN 1 ELSE 0 END AS wave,
       review_type,
       CASE
           WHEN scheme = $scheme THEN pn_code
           WHEN $scheme = 'recommended' THEN CASE pn_code
               WHEN 'PN1' THEN 'PN1' WHEN 'PN2' THEN 'PN3' WHEN 'PN3' THEN 'PN2' WHEN 'PN4' THEN 'PN6'
               WHEN 'PN5' THEN 'PN4' WHEN 'PN6' THEN 'PN5' ELSE NULL END
           ELSE CASE pn_code
               WHEN 'PN1' THEN 'PN1' WHEN 'PN3' THEN 'PN2' WHEN 'PN2' THEN 'PN3' WHEN 'PN6' THEN 'PN4'
               WHEN 'PN4' THEN 'PN5' WHEN 'PN5' THEN 'PN6' WHEN 'PN7' THEN 'PN7' WHEN 'PN8' THEN 'PN7'
               ELSE NULL END
       END AS code
FROM reviews
