-- "You said, we did" actions of one LA ($la_code), newest first. Actions are about services,
-- not children: no field here is about a child.
SELECT action_id, raised_on, source, indicator_id, theme, we_heard, we_did, status, reason,
       told_children_on, owner, cohort
FROM actions
WHERE la_code = $la_code
ORDER BY raised_on DESC, action_id;
