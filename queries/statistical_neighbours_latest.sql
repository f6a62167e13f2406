-- Each LA's statistical neighbours from the most recent neighbour model loaded.
SELECT la_code, rank, neighbour_code
FROM statistical_neighbours
WHERE model = (SELECT max(model) FROM statistical_neighbours)
ORDER BY la_code, rank;
