-- Whose views an action answers (issue 12): children_in_care, care_leavers, or NULL for everyone
-- the linked finding covers. An indicator both surveys ask (internet access, worker changes) can
-- have an action for one group only, and the other group's page must not show it as theirs.
ALTER TABLE actions ADD COLUMN cohort VARCHAR;
