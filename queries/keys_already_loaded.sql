-- Rows of an incoming file whose key is already in the store, with the load that wrote it.
-- {table} and {key} are filled in from the loader's class constants (plain identifiers, never
-- input); incoming_keys: the file's row numbers (__row) and keys, registered by the loader.
SELECT k.__row, t.load_id, coalesce(l.file_name, '(unknown file)') AS file_name
FROM {table} AS t
JOIN incoming_keys AS k USING ({key})
LEFT JOIN load_log AS l ON l.load_id = t.load_id
ORDER BY k.__row;
