-- --replace: delete the loaded rows whose key an incoming file also has (inside the load's
-- transaction, so a failed load keeps them). {table} and {key} as in keys_already_loaded.sql.
DELETE FROM {table}
WHERE rowid IN (SELECT t.rowid FROM {table} AS t JOIN incoming_keys AS k USING ({key}));
