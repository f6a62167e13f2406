-- Every DfE metric of the catalogue for one LA over every year, in one read of the published
-- figures (the DfE page reads them all at once: one lookup per metric was 59 scans per visit).
SELECT indicator_id, wave AS year, value, status, region_value, england_value, neighbour_median, neighbours_used, note
FROM published_figures
WHERE la_code = $la_code AND list_contains($indicator_ids, indicator_id)
ORDER BY indicator_id, wave;
