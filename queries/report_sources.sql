-- The panel report's data sources: per kind of data, how many files are loaded, when the last one
-- was, and how many of them are synthetic. No row counts: a total over files could reveal a small
-- file's count that the load history hides.
SELECT kind,
       count(*)                                       AS files,
       strftime(max(loaded_at), '%Y-%m-%d')           AS last_loaded,
       count(*) FILTER (WHERE synthetic)              AS synthetic_files
FROM load_log
GROUP BY kind
ORDER BY kind;
