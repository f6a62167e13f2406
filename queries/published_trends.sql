-- Published figures of one LA over every wave for several series at once, with the pool of all LAs
-- beside each: one read for all of a page's trend lines. $keys is a list of series, each an item
-- number and the figure's indicator, cohort (NULL for every cohort), age band, breakdown, group and
-- category; rows come back in item order, then by wave.
WITH wanted AS (
    SELECT unnest($keys) AS k
)
SELECT w.k.item AS item, f.wave, f.cohort, f.value, f.ci_low, f.ci_high, f.base, f.status, f.low_base, f.reason,
       p.value AS pool_value
FROM wanted AS w
JOIN published_figures AS f
  ON f.la_code = $la_code AND f.indicator_id = w.k.indicator_id
 AND (w.k.cohort IS NULL OR f.cohort = w.k.cohort)
 AND f.age_band = w.k.age_band AND f.breakdown = w.k.breakdown AND f."group" = w.k."group"
 AND f.category = w.k.category
LEFT JOIN published_figures AS p
       ON p.indicator_id = f.indicator_id AND p.la_code = 'pool' AND p.wave = f.wave
      AND p.cohort IS NOT DISTINCT FROM f.cohort AND p.age_band = f.age_band
      AND p.breakdown = f.breakdown AND p."group" IS NOT DISTINCT FROM f."group" AND p.category = f.category
ORDER BY item, f.wave, f.cohort;
