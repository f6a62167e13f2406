-- The Bright Spots survey waves loaded, with the local authorities (by name) each covers. No counts.
WITH scopes AS (SELECT DISTINCT survey, wave, la_code FROM survey_answer_counts)
SELECT s.survey,
       s.wave,
       list(coalesce(r.la_name, s.la_code) ORDER BY coalesce(r.la_name, s.la_code)) AS local_authorities
FROM scopes AS s
LEFT JOIN la_reference AS r USING (la_code)
GROUP BY s.survey, s.wave
ORDER BY s.wave DESC, s.survey;
