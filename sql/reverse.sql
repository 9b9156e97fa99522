-- accounts_reverse(): moves back what remains, once; never a reversal of a reversal.
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init();
INSERT INTO accounts.account (code, account_type_id) VALUES ('CARD5', 7), ('CARD6', 7);
SELECT id FROM accounts.accounts_transfer(3, 5, 100.00);                -- transfer 1: load
SELECT id FROM accounts.accounts_transfer(5, 1, 100.00, merchant_reference => 'ORD-1');  -- transfer 2: redeem

-- The reference's facade test: after transfer(100) and reverse, both balances are back.
SELECT id, source_id, destination_id, amount, parent_id, kind, merchant_reference, description, user_id, username
  FROM accounts.accounts_reverse(2, user_id => 7, username => 'barry', description => 'Payment Cancellation');
SELECT id, balance FROM accounts.account WHERE id IN (1, 5) ORDER BY id;
SELECT count(*) AS transfers, (SELECT count(*) FROM accounts.posting) AS postings FROM accounts.transfer;

-- Reversed once only.
SELECT accounts.accounts_reverse(2);
\echo :LAST_ERROR_SQLSTATE
-- A reversal cannot itself be reversed, nor refunded.
SELECT accounts.accounts_reverse(3);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(5, 1, 1, parent => 3);
\echo :LAST_ERROR_SQLSTATE
-- After a reversal nothing can be refunded either (the reference would double-refund).
SELECT accounts.accounts_transfer(1, 5, 1, parent => 2);
\echo :LAST_ERROR_SQLSTATE

-- After partial refunds a reversal moves back only what remains.
SELECT id FROM accounts.accounts_transfer(5, 1, 80.00);                 -- transfer 4
SELECT amount, kind FROM accounts.accounts_transfer(1, 5, 30.00, parent => 4);
SELECT amount, kind FROM accounts.accounts_transfer(1, 5, 20.00, parent => 4);
SELECT id, amount, parent_id, kind FROM accounts.accounts_reverse(4);
SELECT transfer_id, returned, reversal_id FROM accounts.transfer_return ORDER BY transfer_id;

-- Refunded in full: nothing left to reverse.
SELECT id FROM accounts.accounts_transfer(5, 1, 10.00);                 -- transfer 8
SELECT amount FROM accounts.accounts_transfer(1, 5, 10.00, parent => 8);
SELECT accounts.accounts_reverse(8);
\echo :LAST_ERROR_SQLSTATE

-- A reversal goes through the same checks as any transfer, in the reversed direction.
SELECT id FROM accounts.accounts_transfer(3, 6, 50.00);                 -- transfer 10: load card 6
SELECT id FROM accounts.accounts_transfer(6, 1, 40.00);                 -- transfer 11: card 6 spends 40
SELECT accounts.accounts_reverse(10);
\echo :LAST_ERROR_SQLSTATE
UPDATE accounts.account SET status = 'Frozen' WHERE id = 6;
SELECT accounts.accounts_reverse(11);
\echo :LAST_ERROR_SQLSTATE
UPDATE accounts.account SET status = 'Open' WHERE id = 6;
SELECT amount FROM accounts.accounts_reverse(11);

-- Unknown and NULL transfers.
SELECT accounts.accounts_reverse(99999);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_reverse(NULL);
\echo :LAST_ERROR_SQLSTATE

-- Even outside the functions, a second reversal of one transfer cannot be stored.
SELECT indexdef FROM pg_indexes WHERE indexname = 'transfer_parent_id_reversal_key';

SELECT id, balance FROM accounts.account ORDER BY id;
SELECT * FROM accounts.accounts_verify();
