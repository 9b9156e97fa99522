-- Idempotency keys: a retried request returns what the first one made and writes nothing.
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init();
SELECT id FROM accounts.accounts_create_account(code => 'CARD', initial_amount => 100.00, source => 3);

SELECT id, amount FROM accounts.accounts_transfer(5, 1, 10.00, idempotency_key => 'order-17-payment');
SELECT id, amount FROM accounts.accounts_transfer(5, 1, 10.00, idempotency_key => 'order-17-payment');
-- 10.0 is the same amount as 10.00: the same request.
SELECT id, amount FROM accounts.accounts_transfer(5, 1, 10.0, idempotency_key => 'order-17-payment');
SELECT count(*) AS transfers, (SELECT balance FROM accounts.account WHERE id = 5) AS card_balance FROM accounts.transfer;

-- The same key for a different request is refused.
SELECT accounts.accounts_transfer(5, 1, 11.00, idempotency_key => 'order-17-payment');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(5, 1, 10.00, description => 'other', idempotency_key => 'order-17-payment');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_reverse(2, idempotency_key => 'order-17-payment');
\echo :LAST_ERROR_SQLSTATE

-- A refused request does not use up its key: the retry after a top-up goes through.
SELECT accounts.accounts_transfer(5, 1, 500.00, idempotency_key => 'order-18-payment');
\echo :LAST_ERROR_SQLSTATE
SELECT id FROM accounts.accounts_transfer(3, 5, 500.00);
SELECT id, amount FROM accounts.accounts_transfer(5, 1, 500.00, idempotency_key => 'order-18-payment');

-- Reversal and refund with keys.
SELECT id, kind FROM accounts.accounts_reverse(2, idempotency_key => 'order-17-cancel');
SELECT id, kind FROM accounts.accounts_reverse(2, idempotency_key => 'order-17-cancel');
SELECT id, amount FROM accounts.accounts_refund(4, 5.00, idempotency_key => 'order-18-refund-1');
SELECT id, amount FROM accounts.accounts_refund(4, 5.00, idempotency_key => 'order-18-refund-1');
SELECT count(*) AS transfers FROM accounts.transfer;

-- Keys are 1 to 255 characters.
SELECT accounts.accounts_transfer(5, 1, 1.00, idempotency_key => '');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(5, 1, 1.00, idempotency_key => repeat('k', 256));
\echo :LAST_ERROR_SQLSTATE

SELECT key, operation, transfer_ids FROM accounts.idempotent_request ORDER BY key;
SELECT * FROM accounts.accounts_verify();
