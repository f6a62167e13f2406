-- The LAs with a register of the ways they listen.
SELECT DISTINCT la_code FROM voice_activities ORDER BY la_code;
