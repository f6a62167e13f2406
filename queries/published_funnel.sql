-- Every LA's published whole-group figure for a wave (and the pool's), for the funnel plot.
SELECT la_code, value, base, status
FROM published_figures
WHERE indicator_id = $indicator_id AND wave = $wave
  AND ($cohort IS NULL OR cohort = $cohort)
  AND age_band = $age_band AND breakdown = '' AND "group" = 'all' AND category = '';
