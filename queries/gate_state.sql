-- The disclosure gate's statuses from the last publish for the given indicators (dashboard.engine.cells.GateState).
SELECT indicator_id, wave, survey, la_code, age_band, breakdown, "group", category, status, reason, low_base, digest
FROM gate_state
WHERE list_contains($indicator_ids, indicator_id);
