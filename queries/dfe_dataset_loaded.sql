-- The DfE dataset of this name already in the store, with how many values it holds.
-- $1: the dataset name.
SELECT d.dataset, d.load_id, d.file_name,
       (SELECT count(*) FROM dfe_values AS v WHERE v.dataset = d.dataset) AS n_values
FROM dfe_datasets AS d
WHERE d.dataset = $1;
