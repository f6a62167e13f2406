-- The newest publish: pages key what they keep in memory by it, so a new publish is picked up.
SELECT max(release_id) AS release_id FROM published_release;
