-- accounts_close_expired(): the expiry sweep moves what is left to Lapsed and closes.
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT accounts.accounts_close_expired();
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM accounts.accounts_init();
-- 5 expired with money, 6 expired and empty (the reference never closes it), 7 still valid,
-- 8 expired but Frozen (skipped, as in the reference), 9 expires exactly now, 10 expired and
-- overdrawn (a budget with a credit limit): closed and listed with its negative balance.
INSERT INTO accounts.account (code, account_type_id, end_date, credit_limit) VALUES
    ('CARD5', 7, now() - interval '1 day', 0), ('CARD6', 7, now() - interval '1 hour', 0),
    ('CARD7', 7, now() + interval '1 day', 0), ('CARD8', 7, now() - interval '2 days', 0), ('CARD9', 7, now(), 0),
    ('BUDGET10', 7, now() + interval '1 hour', 100);
SELECT count(*) FROM (SELECT accounts.accounts_transfer(3, id, 25.00) FROM accounts.account WHERE id IN (5, 7, 8, 9)) t;
SELECT id FROM accounts.accounts_transfer(10, 1, 40.00);
UPDATE accounts.account SET end_date = now() - interval '1 minute' WHERE id = 10;
UPDATE accounts.account SET status = 'Frozen' WHERE id = 8;

-- As of a day ago only cards 5 and 8 had expired; 8 is Frozen (skipped), so only 5 is closed.
SELECT count(*) FROM accounts.accounts_close_expired(as_of => now() - interval '1 day');
-- The future is refused.
SELECT accounts.accounts_close_expired(as_of => now() + interval '1 day');
\echo :LAST_ERROR_SQLSTATE

SELECT account_id, balance, lapsed_amount, transfer_id IS NOT NULL AS moved FROM accounts.accounts_close_expired();
SELECT id, status, balance FROM accounts.account WHERE id >= 5 ORDER BY id;
SELECT id, balance FROM accounts.account WHERE id = 2;
SELECT source_id, destination_id, amount, description FROM accounts.transfer WHERE destination_id = 2 ORDER BY id;

-- Running it again finds nothing.
SELECT count(*) FROM accounts.accounts_close_expired();
SELECT * FROM accounts.accounts_verify();

-- An expired card the ledger refuses to lapse (here: in euros, while Lapsed holds pounds) stays
-- Open and is reported; the other expired cards are still swept.
INSERT INTO accounts.account (code, account_type_id, end_date, currency) VALUES ('EURCARD', 7, now() + interval '1 hour', 'EUR');
INSERT INTO accounts.account (name, account_type_id, credit_limit, currency) VALUES ('Euro bank', 3, NULL, 'EUR');
SELECT amount FROM accounts.accounts_transfer(12, 11, 30.00);
INSERT INTO accounts.account (code, account_type_id, end_date) VALUES ('CARD13', 7, now() + interval '1 hour');
UPDATE accounts.account SET end_date = now() - interval '1 minute' WHERE id IN (11, 13);
SELECT account_id, balance, lapsed_amount, closed, refusal FROM accounts.accounts_close_expired();
SELECT id, status, balance FROM accounts.account WHERE id IN (11, 13) ORDER BY id;
SELECT * FROM accounts.accounts_verify();
