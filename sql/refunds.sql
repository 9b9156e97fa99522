-- accounts_refund() and accounts_refundable(): partial refunds capped by what remains.
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init();
SELECT id FROM accounts.accounts_create_account(code => 'CARD', initial_amount => 1000.00, source => 3);  -- transfer 1
SELECT id FROM accounts.accounts_transfer(5, 1, 300.00, merchant_reference => 'ORD-1');                  -- transfer 2

-- The reference's API test: refund 25 of a 300 redemption, then 280 is more than remains.
SELECT id, source_id, destination_id, amount, parent_id, kind, merchant_reference
  FROM accounts.accounts_refund(2, 25.00, merchant_reference => 'ORD-1');
SELECT accounts.accounts_refundable(2);
SELECT id FROM accounts.accounts_transfer(5, 1, 300.00);
SELECT accounts.accounts_refund(2, 280.00);
\echo :LAST_ERROR_SQLSTATE
SELECT amount FROM accounts.accounts_refund(2, 275.00);
SELECT accounts.accounts_refundable(2);
SELECT accounts.accounts_refund(2, 0.01);
\echo :LAST_ERROR_SQLSTATE

-- After partial refunds the reversal gives back what remains, then nothing remains.
SELECT id FROM accounts.accounts_transfer(5, 1, 50.00);                                                  -- transfer 6
SELECT amount FROM accounts.accounts_refund(6, 20.00);
SELECT amount, kind FROM accounts.accounts_reverse(6);
SELECT accounts.accounts_refundable(6);
SELECT accounts.accounts_refund(6, 1.00);
\echo :LAST_ERROR_SQLSTATE

-- Refunds and reversals themselves have nothing refundable.
SELECT accounts.accounts_refundable(7) AS of_a_refund, accounts.accounts_refundable(8) AS of_a_reversal;
SELECT accounts.accounts_refund(7, 1.00);
\echo :LAST_ERROR_SQLSTATE

-- Bad input.
SELECT accounts.accounts_refund(999, 1.00);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_refund(NULL, 1.00);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_refund(2, -1.00);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_refundable(999);
\echo :LAST_ERROR_SQLSTATE

SELECT transfer_id, returned, reversal_id FROM accounts.transfer_return ORDER BY 1;
SELECT * FROM accounts.accounts_verify();
