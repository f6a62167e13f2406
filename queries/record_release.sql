-- One release's gated cells into the ledger (release_incoming: a frame registered by dashboard/ledger.py).
INSERT INTO release_ledger
SELECT $release_id, indicator_id, wave, survey, la_code, age_band, breakdown, "group", category,
       numerator, base, status, $released_at
FROM release_incoming;
