-- The published figures of one LA for a wave: survey and record measures of that wave, and each
-- DfE metric's latest year up to it. A lookup: every figure was computed and gated at load time.
-- Only the breakdown asked for ($breakdown, '' for none) and the age band asked for are read (any
-- age band when the breakdown is by age band); dashboard.engine.figures._shape picks the rows the
-- selection means from these. Reading every breakdown took 17 ms for Kent 2025 nationally (978 rows
-- read, 129 kept), most of it handing the rows over: counting the same rows took 5 ms.
SELECT * EXCLUDE (release_id)
FROM published_figures
WHERE la_code = $la_code
  AND list_contains($indicator_ids, indicator_id)
  AND (wave = $wave OR (source = 'dfe' AND wave < $wave))
  AND (source = 'dfe' OR breakdown = '' OR breakdown = $breakdown)
  AND (source = 'dfe' OR age_band = $age_band OR $breakdown = 'age_band')
QUALIFY source <> 'dfe' OR wave = max(wave) OVER (PARTITION BY indicator_id)
ORDER BY sort_key;
