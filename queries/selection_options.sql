-- What can be selected: each LA with any voice data (surveys, returns, forms, themes, actions),
-- and the waves (survey waves, and reporting years of dated records) it has.
WITH waves AS (
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
)
SELECT w.la_code, r.la_name, list(DISTINCT w.wave ORDER BY w.wave) AS waves,
       list(DISTINCT s.wave ORDER BY s.wave) FILTER (WHERE s.wave IS NOT NULL) AS survey_waves
FROM waves AS w
JOIN la_reference AS r USING (la_code)
LEFT JOIN (SELECT DISTINCT la_code, wave FROM survey_answer_counts) AS s USING (la_code, wave)
GROUP BY ALL
ORDER BY r.la_name;
