-- Every distinct figure already shown (status ok) for the given indicators, in any release.
SELECT DISTINCT indicator_id, wave, survey, la_code, age_band, breakdown, "group", category, numerator, base
FROM release_ledger
WHERE status = 'ok' AND list_contains($indicator_ids, indicator_id)
ORDER BY indicator_id, wave, survey NULLS FIRST, la_code, age_band, breakdown, "group" NULLS FIRST, category,
         numerator, base;
