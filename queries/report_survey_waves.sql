-- The Bright Spots survey waves loaded for one LA ($la_code).
SELECT DISTINCT wave FROM survey_answer_counts WHERE la_code = $la_code ORDER BY wave;
