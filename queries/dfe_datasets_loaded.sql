-- The DfE published-statistics files loaded: name, file, periods covered, how many indicator columns.
SELECT d.dataset,
       d.file_name,
       list_sort(d.time_periods)                       AS time_periods,
       len(d.indicator_columns)                        AS indicator_columns,
       strftime(l.loaded_at, '%Y-%m-%d %H:%M')          AS loaded_at
FROM dfe_datasets AS d
JOIN load_log AS l USING (load_id)
ORDER BY d.dataset;
