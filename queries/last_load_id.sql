-- The newest load in the store (0 when there is none): loads after it belong to the running command.
SELECT coalesce(max(load_id), 0) AS load_id FROM load_log;
