-- The statistical neighbour model of this name already in the store.
-- $1: the model name.
SELECT n.model,
       count(DISTINCT n.la_code)                    AS las,
       list(DISTINCT n.load_id ORDER BY n.load_id)  AS load_ids,
       list(DISTINCT l.file_name ORDER BY l.file_name) AS files
FROM statistical_neighbours AS n
JOIN load_log AS l USING (load_id)
WHERE n.model = $1
GROUP BY n.model;
