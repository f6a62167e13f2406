-- One DfE metric for every area and year: the published value and its status, selected by
-- dataset, value column and every filter of the metric ($filter_keys/$filter_values, in order; a
-- value of '*' takes any value of that filter, e.g. a `version` column that changes with the year).
-- Also the count and base behind it where the catalogue names them (for an interval), and the LA
-- code as the file published it (published_code: a retired code before it was resolved).
WITH picked AS (
    SELECT *
    FROM dfe_values
    WHERE dataset = $dataset
      AND coalesce(list_bool_and(list_transform(range(len($filter_keys)),
              lambda i: $filter_values[i + 1] = '*' OR filters[$filter_keys[i + 1]] = $filter_values[i + 1])), true)
)
SELECT v.area_code, v.geographic_level, v.area_name, v.region_code, v.year, v.time_period,
       v.value, v.status, v.new_la_code AS published_code,
       c.value  AS count_value,
       b.value  AS base_value
FROM picked AS v
LEFT JOIN picked AS c
       ON c.indicator = $count_indicator AND c.area_code = v.area_code AND c.time_period = v.time_period
LEFT JOIN (
    SELECT area_code, time_period, value FROM dfe_values
    WHERE dataset = $dataset AND indicator = coalesce($base_indicator, $count_indicator)
      AND coalesce(list_bool_and(list_transform(range(len($base_keys)),
              lambda i: $base_values[i + 1] = '*' OR filters[$base_keys[i + 1]] = $base_values[i + 1])), true)
) AS b ON b.area_code = v.area_code AND b.time_period = v.time_period
WHERE v.indicator = $indicator;
