-- Count answers once at load, by every dimension a figure can be cut by.
-- incoming_scopes: the (la_code, survey, wave) just written, registered by the loader.
INSERT INTO survey_answer_counts
SELECT r.la_code, r.survey, r.wave, r.age_band, r.question_id,
       r.gender, r.placement_type, r.disability,
       r.answer, r.answer_value, r.not_answered,
       count(*) AS n
FROM survey_responses AS r
JOIN incoming_scopes AS s USING (la_code, survey, wave)
GROUP BY ALL;
