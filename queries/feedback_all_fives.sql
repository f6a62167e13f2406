-- Fully answered forms scoring 5 on all four questions, out of fully answered forms; forms
-- with any blank are "not answered". For every LA, reporting year, service and stage.
-- forms: the CTE of queries/feedback_forms_by_stage.sql.
SELECT la_code, wave, service, stage,
       count(*) FILTER (WHERE q1 = 5 AND q2 = 5 AND q3 = 5 AND q4 = 5)                               AS positive,
       count(*) FILTER (WHERE q1 IS NOT NULL AND q2 IS NOT NULL AND q3 IS NOT NULL AND q4 IS NOT NULL) AS answered,
       count(*) FILTER (WHERE q1 IS NULL OR q2 IS NULL OR q3 IS NULL OR q4 IS NULL)                   AS not_answered
FROM forms
GROUP BY ALL;
