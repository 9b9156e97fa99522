-- Differences between the extension's tables and their plpgsql_ledger copies: columns (type,
-- NOT NULL, default), constraints and indexes, with schema names left out. No rows: the copies
-- match. Triggers are not compared (the copies have none, on purpose), and neither is the
-- default of account.currency (the extension reads a setting, the copy says 'GBP'), nor the
-- extension's constraint triggers.
WITH objects AS (
    SELECT n.nspname AS schema_name, c.relname AS table_name, 'column ' || a.attname AS item,
           format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
           || CASE WHEN c.relname = 'account' AND a.attname = 'currency' THEN ''
                   ELSE coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') END AS definition
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT n.nspname, c.relname, 'constraint ' || k.conname, pg_get_constraintdef(k.oid)
      FROM pg_constraint k
      JOIN pg_class c ON c.oid = k.conrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE k.contype <> 't'
    UNION ALL
    SELECT n.nspname, c.relname, 'index ' || i.relname, pg_get_indexdef(i.oid)
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_class c ON c.oid = x.indrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
), compared AS (
    SELECT schema_name, table_name, item,
           replace(replace(definition, 'plpgsql_ledger.', ''), 'accounts.', '') AS definition
      FROM objects
     WHERE schema_name IN ('accounts', 'plpgsql_ledger')
       AND table_name IN ('account_type', 'account', 'account_secondary_user', 'transfer', 'posting')
)
SELECT format('only in %s: %s.%s %s', schema_name, table_name, item, definition)
  FROM (
    (SELECT 'accounts' AS schema_name, table_name, item, definition FROM compared WHERE schema_name = 'accounts'
     EXCEPT
     SELECT 'accounts', table_name, item, definition FROM compared WHERE schema_name = 'plpgsql_ledger')
    UNION ALL
    (SELECT 'plpgsql_ledger', table_name, item, definition FROM compared WHERE schema_name = 'plpgsql_ledger'
     EXCEPT
     SELECT 'plpgsql_ledger', table_name, item, definition FROM compared WHERE schema_name = 'accounts')
  ) AS differences
 ORDER BY 1;
