-- accounts_close_expired(): the expiry sweep moves what is left to Lapsed and closes.
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT accounts.accounts_close_expired();
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM accounts.accounts_init();
-- 5 expired with money, 6 expired and empty (the reference never closes it), 7 still valid,
-- 8 expired but Frozen (skipped, as in the reference), 9 expires exactly now.
INSERT INTO accounts.account (code, account_type_id, end_date) VALUES
    ('CARD5', 7, now() - interval '1 day'), ('CARD6', 7, now() - interval '1 hour'),
    ('CARD7', 7, now() + interval '1 day'), ('CARD8', 7, now() - interval '2 days'), ('CARD9', 7, now());
SELECT count(*) FROM (SELECT accounts.accounts_transfer(3, id, 25.00) FROM accounts.account WHERE id IN (5, 7, 8, 9)) t;
UPDATE accounts.account SET status = 'Frozen' WHERE id = 8;

SELECT account_id, lapsed_amount, transfer_id IS NOT NULL AS moved FROM accounts.accounts_close_expired();
SELECT id, status, balance FROM accounts.account WHERE id >= 5 ORDER BY id;
SELECT id, balance FROM accounts.account WHERE id = 2;
SELECT source_id, destination_id, amount, description FROM accounts.transfer WHERE destination_id = 2 ORDER BY id;

-- Running it again finds nothing.
SELECT count(*) FROM accounts.accounts_close_expired();
SELECT * FROM accounts.accounts_verify();
