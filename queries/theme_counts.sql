-- Theme records counted for the disclosure gate (dashboard/engine/themes.py): one row per LA,
-- reporting year (ending 31 March), quarter of that year (1 = April to June ... 4 = January to
-- March), source, cohort of the people who spoke and theme, with how many records.
-- $la_code: one LA's code, or NULL for every LA.
SELECT la_code,
       year(record_date) + CASE WHEN month(record_date) >= 4 THEN 1 ELSE 0 END AS reporting_year,
       ((month(record_date) + 8) % 12) // 3 + 1 AS quarter,
       source,
       cohort AS said_by,
       theme,
       count(*) AS n
FROM themes
WHERE $la_code IS NULL OR la_code = $la_code
GROUP BY ALL
ORDER BY ALL;
