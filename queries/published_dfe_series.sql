-- One DfE metric for one LA over every year: the LA, its region, England and its neighbours.
SELECT wave AS year, value, status, region_value, england_value, neighbour_median, neighbours_used, note
FROM published_figures
WHERE indicator_id = $indicator_id AND la_code = $la_code
ORDER BY wave;
