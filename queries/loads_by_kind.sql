-- Each kind of input loaded: how many files, and when the last one was loaded.
SELECT kind,
       count(*)                                          AS files,
       strftime(max(loaded_at), '%Y-%m-%d %H:%M')         AS last_loaded,
       bool_or(synthetic)                                AS any_synthetic
FROM load_log
GROUP BY kind
ORDER BY kind;
