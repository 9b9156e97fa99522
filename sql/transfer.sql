-- accounts_transfer(): one transfer row, two postings, both balances, atomically.
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init();
-- Accounts 1 Redemptions, 2 Lapsed accounts, 3 Bank, 4 Unpaid source; 5 and 6 are cards.
INSERT INTO accounts.account (code, account_type_id, primary_user_id)
VALUES ('giftcard-one', 7, NULL), ('GIFTCARD-TWO', 7, 42);

-- Load a card from the Bank (credit limit NULL: unlimited).
SELECT id, reference ~ '^[0-9A-F]{32}$' AS reference_ok, source_id, destination_id, amount, parent_id, kind,
       merchant_reference, description, user_id, username, date_created = now() AS created_now
  FROM accounts.accounts_transfer(3, 5, 50.00, description => 'Load from bank');

SELECT id, code, balance FROM accounts.account WHERE id IN (3, 5) ORDER BY id;
SELECT p.transfer_id, p.account_id, p.amount, p.date_created = t.date_created AS same_instant
  FROM accounts.posting p JOIN accounts.transfer t ON t.id = p.transfer_id ORDER BY p.id;

-- Spend 30.00 of it (the reference's worked example), with an authorising user.
SELECT id, source_id, destination_id, amount, kind, merchant_reference, description, user_id, username
  FROM accounts.accounts_transfer(5, 1, 30, user_id => 9, username => 'barry',
                                  merchant_reference => 'ORDER-100', description => 'Redeemed to pay for order 100');
SELECT id, balance FROM accounts.account WHERE id IN (1, 3, 5) ORDER BY id;

-- Goodwill from the unpaid source onto a card whose primary user is 42.
SELECT id, amount FROM accounts.accounts_transfer(4, 6, 20.00);
-- Only user 42 may spend from card 6; anyone may spend from card 5 (no users set).
SELECT id, amount FROM accounts.accounts_transfer(6, 1, 5.00, user_id => 42);
SELECT id, amount FROM accounts.accounts_transfer(5, 1, 1.00, user_id => 77);

-- Secondary users authorise only when there is no primary user.
INSERT INTO accounts.account (code, account_type_id) VALUES ('SHARED', 7);
INSERT INTO accounts.account_secondary_user VALUES (7, 100), (7, 101);
SELECT id, amount FROM accounts.accounts_transfer(3, 7, 10.00);
SELECT id, amount FROM accounts.accounts_transfer(7, 1, 2.00, user_id => 101);

-- Amounts are exact: trailing zeros are fine, nothing is rounded.
SELECT amount FROM accounts.accounts_transfer(3, 5, 10.500);
SELECT amount FROM accounts.accounts_transfer(3, 5, 0.01);

-- Loading onto an expired or not-yet-started card is allowed; spending from it is not.
UPDATE accounts.account SET start_date = now() + interval '1 day', end_date = now() + interval '30 days' WHERE id = 6;
SELECT amount FROM accounts.accounts_transfer(3, 6, 5.00);

-- A refund is a transfer naming its parent: it goes back, and is capped by what remains.
SELECT id, source_id, destination_id, amount, parent_id, kind
  FROM accounts.accounts_transfer(1, 5, 10.00, parent => 2, description => 'Refund');
SELECT id, amount, parent_id, kind FROM accounts.accounts_transfer(1, 5, 20.00, parent => 2);
SELECT transfer_id, returned, reversal_id FROM accounts.transfer_return;

-- Big balances: numeric(18,2) holds up to 9999999999999999.99 (the reference overflows at 10^10).
INSERT INTO accounts.account (name, account_type_id, credit_limit) VALUES ('Big source', 3, NULL);
SELECT amount FROM accounts.accounts_transfer(8, 5, 9999999999999.99);
SELECT amount FROM accounts.accounts_transfer(8, 6, 12345678901234.56);
SELECT id, balance FROM accounts.account WHERE id IN (5, 6, 8) ORDER BY id;

SELECT id, balance FROM accounts.account ORDER BY id;
SELECT sum(amount) AS sum_of_postings, count(*) AS postings FROM accounts.posting;
SELECT * FROM accounts.accounts_verify();

-- The transfer is returned as an accounts.transfer row, usable in SQL.
SELECT pg_typeof(t) FROM accounts.accounts_transfer(3, 5, 1) t;
