-- accounts_error_codes(): the extension's own catalogue of SQLSTATEs (the README's table).
SELECT sqlstate, name, description FROM accounts.accounts_error_codes() ORDER BY sqlstate;
-- Unique, well-formed, and custom codes keep their class: 22 data, 23 integrity, 42 access, 55 state.
SELECT count(*) = count(DISTINCT sqlstate) AS unique_codes, bool_and(sqlstate ~ '^(22|23|42|55|XX)[0-9A-Z]{3}$') AS classes_ok
  FROM accounts.accounts_error_codes();
