-- Return 2a / 2c for every LA and reporting year (ending 31 March): yes out of yes + no, with
-- "not appropriate" counted on its own. $check: voice_heard_assessment | voice_heard_closure | feedback_sought.
SELECT la_code,
       year(check_date) + CASE WHEN month(check_date) >= 4 THEN 1 ELSE 0 END AS wave,
       count(*) FILTER (WHERE answer = 'yes')               AS positive,
       count(*) FILTER (WHERE answer IN ('yes', 'no'))      AS answered,
       count(*) FILTER (WHERE answer = 'not_appropriate')   AS not_answered
FROM voice_checks
WHERE check_type = $check
GROUP BY ALL;
