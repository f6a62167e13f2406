-- The themes one cohort of an LA raised ($cohort: the themes file's code, e.g. care_leaver), so a
-- page about that cohort shows only the actions that answer them. Theme names only, no counts.
SELECT DISTINCT theme
FROM themes
WHERE la_code = $la_code AND cohort = $cohort
ORDER BY theme;
