-- One published figure of an LA over every wave, with the pool of all LAs beside it.
SELECT f.wave, f.cohort, f.value, f.ci_low, f.ci_high, f.base, f.status, f.low_base, f.reason,
       p.value AS pool_value
FROM published_figures AS f
LEFT JOIN published_figures AS p
       ON p.indicator_id = f.indicator_id AND p.la_code = 'pool' AND p.wave = f.wave
      AND p.cohort IS NOT DISTINCT FROM f.cohort AND p.age_band = f.age_band
      AND p.breakdown = f.breakdown AND p."group" IS NOT DISTINCT FROM f."group" AND p.category = f.category
WHERE f.indicator_id = $indicator_id AND f.la_code = $la_code
  AND ($cohort IS NULL OR f.cohort = $cohort)
  AND f.age_band = $age_band AND f.breakdown = $breakdown AND f."group" = $group AND f.category = $category
ORDER BY f.wave, f.cohort;
