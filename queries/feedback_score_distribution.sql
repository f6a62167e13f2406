-- Forms by score (1 to 5) on one question ($question: q1 | q2 | q3 | q4), for every LA,
-- reporting year, service and stage. category NULL counts the forms that left it blank.
-- forms: the CTE of queries/feedback_forms_by_stage.sql.
SELECT la_code, wave, service, stage,
       CAST(CASE $question WHEN 'q1' THEN q1 WHEN 'q2' THEN q2 WHEN 'q3' THEN q3 WHEN 'q4' THEN q4 END AS VARCHAR)
           AS category,
       count(*) AS n
FROM forms
GROUP BY ALL;
