-- Every successful load, newest first: the provenance of everything in the store.
SELECT load_id,
       strftime(loaded_at, '%Y-%m-%d %H:%M:%S') AS loaded_at,
       kind,
       file_name,
       rows_loaded,
       scope,
       replaced,
       file_hash,
       tool_version
FROM load_log
ORDER BY load_id DESC;
