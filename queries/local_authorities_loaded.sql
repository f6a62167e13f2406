-- The local authorities that any voice data is loaded for, by name, with the kinds loaded for each.
-- Only which LAs are present: no counts. DfE statistics cover every LA and are listed separately.
WITH present AS (
    SELECT DISTINCT la_code, 'bright-spots' AS kind FROM survey_answer_counts
    UNION SELECT DISTINCT la_code, 'feedback' FROM feedback_forms
    UNION SELECT DISTINCT la_code, 'participation' FROM reviews
    UNION SELECT DISTINCT la_code, 'voice-checks' FROM voice_checks
    UNION SELECT DISTINCT la_code, 'actions' FROM actions
    UNION SELECT DISTINCT la_code, 'themes' FROM themes
)
SELECT coalesce(r.la_name, p.la_code)       AS la_name,
       p.la_code,
       r.region_name,
       list(DISTINCT p.kind ORDER BY p.kind) AS kinds
FROM present AS p
LEFT JOIN la_reference AS r USING (la_code)
GROUP BY ALL
ORDER BY la_name;
