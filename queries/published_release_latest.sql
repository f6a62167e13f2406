-- The newest release of the published figures (0 before the first): a cache of what is read from
-- the published tables is keyed by it, so a new publish is seen at once.
SELECT coalesce(max(release_id), 0) AS release_id FROM published_release;
