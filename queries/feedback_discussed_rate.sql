-- Forms whose answers were discussed with the person afterwards, out of forms where that is
-- known; "unknown" is not answered. For every LA, reporting year, service, respondent and stage.
-- forms: the CTE of queries/feedback_forms_by_stage.sql.
SELECT la_code, wave, service, respondent, stage,
       count(*) FILTER (WHERE discussed = 'yes')          AS positive,
       count(*) FILTER (WHERE discussed IN ('yes', 'no')) AS answered,
       count(*) FILTER (WHERE discussed = 'unknown')      AS not_answered
FROM forms
GROUP BY ALL;
