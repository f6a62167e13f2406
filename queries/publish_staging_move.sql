-- The release's figures into published_figures in LA order (then indicator and wave, as polars sorted
-- them before: nulls first), so that DuckDB's per-block min and max let a page read only its LA's blocks.
INSERT INTO published_figures
SELECT * FROM publish_staging
ORDER BY la_code NULLS FIRST, indicator_id NULLS FIRST, wave NULLS FIRST;
