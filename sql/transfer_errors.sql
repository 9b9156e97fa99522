-- Every refused transfer: its message, its SQLSTATE, and nothing written.
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init();
-- 5 card (100.00), 6 card (empty), 7 frozen, 8 closed, 9 expired, 10 not yet started,
-- 11 in euros, 12 owned by user 42, 13 owned by secondary users 100 and 101.
INSERT INTO accounts.account (code, account_type_id) VALUES ('CARD5', 7), ('CARD6', 7), ('CARD7', 7), ('CARD8', 7);
INSERT INTO accounts.account (code, account_type_id, end_date) VALUES ('CARD9', 7, now() - interval '1 day');
INSERT INTO accounts.account (code, account_type_id, start_date) VALUES ('CARD10', 7, now() + interval '1 day');
INSERT INTO accounts.account (code, account_type_id, currency) VALUES ('CARD11', 7, 'EUR');
INSERT INTO accounts.account (code, account_type_id, primary_user_id) VALUES ('CARD12', 7, 42);
INSERT INTO accounts.account (code, account_type_id) VALUES ('CARD13', 7);
INSERT INTO accounts.account_secondary_user VALUES (13, 100), (13, 101);
SELECT count(*) FROM (
    SELECT accounts.accounts_transfer(3, id, 100.00) FROM accounts.account WHERE id IN (5, 7, 8, 9, 10, 12, 13)
) loads;
UPDATE accounts.account SET status = 'Frozen' WHERE id = 7;
UPDATE accounts.account SET status = 'Closed' WHERE id = 8;

CREATE TEMP VIEW ledger_size AS
SELECT (SELECT count(*) FROM accounts.transfer) AS transfers, (SELECT count(*) FROM accounts.posting) AS postings,
       (SELECT sum(balance) FROM accounts.account WHERE balance > 0) AS money_held;
SELECT * FROM ledger_size;

-- Required arguments.
SELECT accounts.accounts_transfer(NULL, 1, 10);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(5, NULL, 10);
\echo :LAST_ERROR_SQLSTATE

-- 1. Same account, checked first (even before a bad amount).
SELECT accounts.accounts_transfer(5, 5, -1);
\echo :LAST_ERROR_SQLSTATE

-- 2. Invalid amounts: refused, never rounded.
SELECT accounts.accounts_transfer(5, 1, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(5, 1, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(5, 1, -20);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(5, 1, 0.004);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(5, 1, 10.005);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(5, 1, 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(5, 1, 'Infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(5, 1, '-Infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(3, 5, 10000000000000000);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(3, 5, 1e30);
\echo :LAST_ERROR_SQLSTATE

-- Unknown accounts (the amount is fine, so the lookup under the lock reports them).
SELECT accounts.accounts_transfer(999, 1, 10);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(5, 999, 10);
\echo :LAST_ERROR_SQLSTATE

-- 3. Source not Open.
SELECT accounts.accounts_transfer(7, 1, 10);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(8, 1, 10);
\echo :LAST_ERROR_SQLSTATE

-- 4. User not authorised: primary user, then secondary users.
SELECT accounts.accounts_transfer(12, 1, 10, user_id => 41);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(13, 1, 10, user_id => 42);
\echo :LAST_ERROR_SQLSTATE

-- 5. Destination not Open.
SELECT accounts.accounts_transfer(5, 7, 10);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(5, 8, 10);
\echo :LAST_ERROR_SQLSTATE

-- 6. Source outside its validity window (expired; not yet started).
SELECT accounts.accounts_transfer(9, 1, 10);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(10, 1, 10);
\echo :LAST_ERROR_SQLSTATE

-- 7. Currencies differ.
SELECT accounts.accounts_transfer(3, 11, 10);
\echo :LAST_ERROR_SQLSTATE

-- 8. Insufficient funds (balance 100.00, credit limit 0.00).
SELECT accounts.accounts_transfer(5, 1, 100.01);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(6, 1, 0.01);
\echo :LAST_ERROR_SQLSTATE

-- 9. Result out of range: a source with no credit limit already at the bottom of the range.
INSERT INTO accounts.account (name, account_type_id, credit_limit) VALUES ('Huge', 3, NULL);
SELECT amount FROM accounts.accounts_transfer(14, 6, 9999999999999999.99);
SELECT accounts.accounts_transfer(14, 6, 0.01);
\echo :LAST_ERROR_SQLSTATE

-- Texts longer than the reference's fields.
SELECT accounts.accounts_transfer(3, 5, 1, merchant_reference => repeat('x', 129));
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(3, 5, 1, description => repeat('x', 257));
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(3, 5, 1, username => repeat('x', 151));
\echo :LAST_ERROR_SQLSTATE

-- Refunds: unknown parent, wrong direction, over the cap, of a refund.
SELECT id FROM accounts.accounts_transfer(5, 1, 40) \gset redemption_
SELECT accounts.accounts_transfer(1, 5, 10, parent => 99999);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(5, 1, 10, parent => :redemption_id);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(1, 6, 10, parent => :redemption_id);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(1, 5, 40.01, parent => :redemption_id);
\echo :LAST_ERROR_SQLSTATE
SELECT id FROM accounts.accounts_transfer(1, 5, 15, parent => :redemption_id) \gset refund_
SELECT accounts.accounts_transfer(5, 1, 15, parent => :refund_id);
\echo :LAST_ERROR_SQLSTATE

-- The checks run in the reference's order: with everything wrong, the first rule wins.
SELECT accounts.accounts_transfer(7, 8, 1000, user_id => 1);
\echo :LAST_ERROR_SQLSTATE

-- A refused transfer inside a caller's transaction leaves it aborted; rolled back, nothing stays.
BEGIN;
SELECT amount FROM accounts.accounts_transfer(3, 5, 5.00);
SELECT accounts.accounts_transfer(5, 1, 1000.00);
SELECT accounts.accounts_transfer(3, 5, 1.00);
ROLLBACK;

-- Nothing refused was written: 7 loads, the maximal transfer, the redemption and the refund.
SELECT * FROM ledger_size;
SELECT * FROM accounts.accounts_verify();
