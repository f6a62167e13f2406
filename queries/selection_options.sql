-- What can be selected: each LA with any voice data (surveys, returns, forms, themes, actions),
-- and the waves (survey waves, and reporting years of dated records) it has; then each LA with
-- DfE statistics alone (a new LA's natural first step), with the years of its statistics. LAs with
-- voice data come first, so the first choice is one with something children said.
WITH voice AS (
    SELECT DISTINCT la_code, wave FROM survey_answer_counts
    UNION
    SELECT DISTINCT la_code, year(check_date) + CASE WHEN month(check_date) >= 4 THEN 1 ELSE 0 END FROM voice_checks
    UNION
    SELECT DISTINCT la_code, year(review_date) + CASE WHEN month(review_date) >= 4 THEN 1 ELSE 0 END FROM reviews
    UNION
    SELECT DISTINCT la_code, year(form_date) + CASE WHEN month(form_date) >= 4 THEN 1 ELSE 0 END FROM feedback_forms
    UNION
    SELECT DISTINCT la_code, year(record_date) + CASE WHEN month(record_date) >= 4 THEN 1 ELSE 0 END FROM themes
    UNION
    SELECT DISTINCT la_code, year(raised_on) + CASE WHEN month(raised_on) >= 4 THEN 1 ELSE 0 END FROM actions
), waves AS (
    SELECT la_code, wave, true AS has_voice FROM voice
    UNION ALL
    SELECT DISTINCT area_code, year, false FROM dfe_values
    WHERE geographic_level = 'Local authority' AND area_code NOT IN (SELECT la_code FROM voice)
      AND area_code IN (SELECT la_code FROM la_reference WHERE status = 'current')
)
SELECT w.la_code, r.la_name, list(DISTINCT w.wave ORDER BY w.wave) AS waves,
       list(DISTINCT s.wave ORDER BY s.wave) FILTER (WHERE s.wave IS NOT NULL) AS survey_waves,
       bool_or(w.has_voice) AS has_voice
FROM waves AS w
JOIN la_reference AS r USING (la_code)
LEFT JOIN (SELECT DISTINCT la_code, wave FROM survey_answer_counts) AS s USING (la_code, wave)
GROUP BY ALL
ORDER BY has_voice DESC, r.la_name;
