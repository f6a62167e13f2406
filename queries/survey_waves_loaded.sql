-- Survey waves (LA, survey, wave) already in the store that an incoming file also covers.
-- incoming_scopes: the file's distinct (la_code, survey, wave), registered by the loader.
SELECT r.la_code, r.survey, r.wave,
       count(*)                                   AS answers,
       list(DISTINCT r.load_id ORDER BY r.load_id) AS load_ids,
       list(DISTINCT l.file_name ORDER BY l.file_name) AS files
FROM survey_responses AS r
JOIN incoming_scopes AS s USING (la_code, survey, wave)
JOIN load_log AS l USING (load_id)
GROUP BY r.la_code, r.survey, r.wave
ORDER BY r.la_code, r.survey, r.wave;
