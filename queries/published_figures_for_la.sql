-- The published figures of one LA for a wave: survey and record measures of that wave, and each
-- DfE metric's latest year up to it. A lookup: every figure was computed and gated at load time.
SELECT * EXCLUDE (release_id)
FROM published_figures
WHERE la_code = $la_code
  AND list_contains($indicator_ids, indicator_id)
  AND (wave = $wave OR (source = 'dfe' AND wave < $wave))
QUALIFY source <> 'dfe' OR wave = max(wave) OVER (PARTITION BY indicator_id)
ORDER BY sort_key;
