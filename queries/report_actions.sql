-- The panel report's "you said, we did" list for one LA ($la_code): every action with its current
-- status, newest first. Actions are what the LA did about what it heard: nothing here counts people.
SELECT action_id, raised_on, source, indicator_id, theme, we_heard, we_did, status, reason, told_children_on
FROM actions
WHERE la_code = $la_code
ORDER BY raised_on DESC, action_id;
