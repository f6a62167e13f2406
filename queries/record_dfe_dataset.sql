-- One row per loaded DfE dataset, under the load that wrote its (staged) values.
-- $1 dataset, $2 file name, $3 filter columns, $4 indicator columns, $5 time periods.
INSERT INTO dfe_datasets (dataset, load_id, file_name, filter_columns, indicator_columns, time_periods)
SELECT $1, max(load_id), $2, $3, $4, $5
FROM dfe_values_incoming;
