-- How many theme records one LA ($la_code) holds for each theme (theme text trimmed, compared
-- case-insensitively). These are counts about people: they pass the disclosure gate before any is shown.
SELECT lower(trim(theme)) AS theme_key, min(trim(theme)) AS theme, count(*) AS records
FROM themes
WHERE la_code = $la_code
GROUP BY lower(trim(theme))
ORDER BY theme_key;
