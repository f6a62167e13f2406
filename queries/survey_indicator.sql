-- Counts behind a survey indicator for every LA, wave, age band and respondent group:
-- answers that count as positive, all answers, and "not answered" (blank, don't know, prefer
-- not to say). Computed from the counts made at load, never from row-level answers.
-- $question_id; categorical: $positive_answers (a list); scales and counts: $positive_min/$positive_max.
SELECT la_code, survey, wave, age_band, gender, placement_type, disability,
       coalesce(sum(n) FILTER (WHERE not_answered IS NULL AND (
           CASE WHEN $positive_min IS NULL THEN list_contains($positive_answers, answer)
                ELSE answer_value BETWEEN $positive_min AND $positive_max END)), 0) AS positive,
       coalesce(sum(n) FILTER (WHERE not_answered IS NULL), 0)     AS answered,
       coalesce(sum(n) FILTER (WHERE not_answered IS NOT NULL), 0) AS not_answered
FROM survey_answer_counts
WHERE question_id = $question_id
GROUP BY ALL;
