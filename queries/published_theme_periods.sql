-- The reporting years with published theme counts for one LA.
SELECT DISTINCT period FROM published_themes WHERE la_code = $la_code AND period <> 'all';
