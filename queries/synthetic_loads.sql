-- How many loads are synthetic (demo data), out of all loads: the app's banner is shown when any are.
SELECT count(*) FILTER (WHERE synthetic) AS synthetic_loads,
       count(*)                          AS loads
FROM load_log;
