-- The "you said, we did" actions of one LA ($la_code): what was heard, what was done, its status
-- and when children were told. Actions are about services, not children: nothing here counts people.
SELECT action_id, raised_on, source, indicator_id, theme, we_heard, we_did, status, reason, told_children_on
FROM actions
WHERE la_code = $la_code
ORDER BY raised_on, action_id;
