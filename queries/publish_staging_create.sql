-- An empty temporary table shaped like published_figures: the publish step writes each indicator's
-- figures here as it computes them (never the whole release in Python at once), then moves them in LA order.
CREATE OR REPLACE TEMP TABLE publish_staging AS SELECT * FROM published_figures LIMIT 0;
