-- The register of the ways one LA ($la_code) listens: one row per activity. Activities are about
-- services, not children: no field here is about a child.
SELECT activity_id, activity, kind, cohorts, age_from, age_to, how_often, owner, findings_used, hear_back,
       action_source, themes, start_date, end_date
FROM voice_activities
WHERE la_code = $la_code
ORDER BY activity_id;
