-- Whether the published figures include the newest load (the app shows nothing else).
SELECT (SELECT max(load_id) FROM load_log) AS newest_load,
       (SELECT last_load_id FROM published_release ORDER BY release_id DESC LIMIT 1) AS published_load,
       (SELECT count(*) FROM published_release) AS releases;
