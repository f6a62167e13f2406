-- The loads of synthetic (demo) data, marked as such in the load history.
SELECT load_id FROM load_log WHERE synthetic ORDER BY load_id;
