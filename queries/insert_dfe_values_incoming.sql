-- Move the staged values of one DfE file into dfe_values, turning the filter pairs into a MAP
-- (no filter columns: an empty map).
INSERT INTO dfe_values (load_id, dataset, time_period, year, time_identifier, geographic_level,
                        area_code, area_name, region_code, old_la_code, new_la_code, filters,
                        indicator, value, status)
SELECT load_id, dataset, time_period, year, time_identifier, geographic_level,
       area_code, area_name, region_code, old_la_code, new_la_code,
       coalesce(map_from_entries(filters), MAP {}),
       indicator, value, status
FROM dfe_values_incoming;
