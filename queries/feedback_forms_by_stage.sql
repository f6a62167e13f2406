-- Feedback forms with their reporting year (ending 31 March) and the stage of the worker-family
-- relationship: the first form, the second, or the third and later.
SELECT *,
       year(form_date) + CASE WHEN month(form_date) >= 4 THEN 1 ELSE 0 END AS wave,
       CASE WHEN meeting_number = 1 THEN 'first form'
            WHEN meeting_number = 2 THEN 'second form'
            ELSE 'third form or later' END AS stage
FROM feedback_forms
