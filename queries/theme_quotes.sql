-- Quotes that may be shown for an LA's themes: consented, and with no sign of a name, phone
-- number, email address, postcode, school or street (themes.quote_publishable, set at load).
-- Only the theme and the words: never the record, its date or who said it.
-- $reporting_year: one reporting year (ending 31 March), or NULL for every year loaded.
-- $cohort: only what this cohort said (child_in_care, care_leaver, parent_carer ...), or NULL for all.
SELECT DISTINCT theme, quote
FROM themes
WHERE la_code = $la_code
  AND quote_publishable
  AND quote IS NOT NULL
  AND ($cohort IS NULL OR cohort = $cohort)
  AND ($reporting_year IS NULL
       OR year(record_date) + CASE WHEN month(record_date) >= 4 THEN 1 ELSE 0 END = $reporting_year)
ORDER BY theme, quote;
