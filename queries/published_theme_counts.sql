-- Published theme counts of one LA for a period and a breakdown ('' for the whole).
SELECT period, breakdown, "group", theme, records, group_records, share, status, reason, low_base
FROM published_themes
WHERE la_code = $la_code AND period = $period AND breakdown = $breakdown
ORDER BY "group", theme;
