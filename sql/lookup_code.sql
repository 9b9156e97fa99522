-- accounts_lookup_code(): a checkout form's look-up, throttled per client address.
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init();
SELECT id, code FROM accounts.accounts_create_account(code => 'ABCD1234', initial_amount => 20.00, source => 3);

-- Typed as a customer would: trimmed, upper-cased, dashes dropped.
SELECT id, code, balance FROM accounts.accounts_lookup_code(' abcd-1234 ', '192.0.2.1');
-- Not found: NULL, and the failure is counted.
SELECT id IS NULL AS not_found FROM accounts.accounts_lookup_code('WRONG', '192.0.2.1');
SELECT ip_address, consecutive_failures, total_failures FROM accounts.ip_address_record;
-- A success resets the consecutive count (the total stays).
SELECT id FROM accounts.accounts_lookup_code('ABCD1234', '192.0.2.1');
SELECT ip_address, consecutive_failures, total_failures FROM accounts.ip_address_record;

-- Three consecutive failures block the address for five minutes; even a valid code is then
-- answered with the same refusal, so a blocked address learns nothing.
SELECT count(*) FROM (SELECT accounts.accounts_lookup_code('GUESS' || g, '198.51.100.7') FROM generate_series(1, 3) g) x;
SELECT accounts.accounts_lookup_code('ABCD1234', '198.51.100.7');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_lookup_code('NOPE', '198.51.100.7');
\echo :LAST_ERROR_SQLSTATE
-- Other addresses are not affected.
SELECT id FROM accounts.accounts_lookup_code('ABCD1234', '203.0.113.9');
-- After the cooling-off period it may try again (here: the last failure moved 6 minutes back).
UPDATE accounts.ip_address_record SET date_last_failure = now() - interval '6 minutes' WHERE ip_address = '198.51.100.7';
SELECT id FROM accounts.accounts_lookup_code('ABCD1234', '198.51.100.7');
-- The reference blocked again a day later (it ignored days); here a day-old failure is just old.
SELECT count(*) FROM (SELECT accounts.accounts_lookup_code('GUESS' || g, '198.51.100.8') FROM generate_series(1, 3) g) x;
UPDATE accounts.ip_address_record SET date_last_failure = now() - interval '1 day 1 minute' WHERE ip_address = '198.51.100.8';
SELECT id FROM accounts.accounts_lookup_code('ABCD1234', '198.51.100.8');

-- More than 10 failures in total: blocked for good, however long ago they were.
INSERT INTO accounts.ip_address_record (ip_address, total_failures, consecutive_failures, date_last_failure)
VALUES ('192.0.2.50', 10, 0, now() - interval '30 days'), ('192.0.2.51', 11, 0, now() - interval '30 days');
SELECT id FROM accounts.accounts_lookup_code('ABCD1234', '192.0.2.50');
SELECT accounts.accounts_lookup_code('ABCD1234', '192.0.2.51');
\echo :LAST_ERROR_SQLSTATE

-- The thresholds are settings, for superusers only.
SET oscar_accounts.lookup_freeze_threshold = 1;
SELECT id IS NULL AS not_found FROM accounts.accounts_lookup_code('WRONG', '192.0.2.99');
SELECT accounts.accounts_lookup_code('ABCD1234', '192.0.2.99');
\echo :LAST_ERROR_SQLSTATE
RESET oscar_accounts.lookup_freeze_threshold;
SHOW oscar_accounts.lookup_cooling_off;

SELECT accounts.accounts_lookup_code('ABCD1234', NULL);
\echo :LAST_ERROR_SQLSTATE
