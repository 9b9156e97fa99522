-- accounts_redeem(): one order paid from several accounts, all or none;
-- accounts_permitted_allocation(): how much each account may pay.
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init();
SELECT id, balance FROM accounts.accounts_create_account(code => 'CARD-A', initial_amount => 10.00, source => 3, primary_user_id => 42);
SELECT id, balance FROM accounts.accounts_create_account(code => 'CARD-B', initial_amount => 10.00, source => 3);
SELECT id, balance FROM accounts.accounts_create_account(code => 'CARD-C', initial_amount => 5.00, source => 3,
                                                          product_range_id => 77, can_be_used_for_non_products => false);

-- Bug #41 of the reference: a 20.00 order and two 10.00 cards. Each may cover 10.00.
SELECT accounts.accounts_permitted_allocation(5, order_total => 20.00) AS first_card,
       accounts.accounts_permitted_allocation(6, order_total => 20.00, other_allocated => 10.00) AS second_card,
       accounts.accounts_permitted_allocation(6, order_total => 20.00, other_allocated => 20.00) AS nothing_left;
-- Product range and no non-product use: only the range's lines, never shipping.
SELECT accounts.accounts_permitted_allocation(7, order_total => 40.00, shipping_total => 5.00, range_total => 3.00) AS ranged;
SELECT accounts.accounts_permitted_allocation(7, order_total => 40.00, shipping_total => 5.00);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_permitted_allocation(5, order_total => 10.00, shipping_total => 20.00);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_permitted_allocation(999, order_total => 10.00);
\echo :LAST_ERROR_SQLSTATE

-- Pay a 20.00 order with both cards.
SELECT id, source_id, destination_id, amount, merchant_reference, description, user_id
  FROM accounts.accounts_redeem('ORDER-1', ARRAY[5, 6], ARRAY[10.00, 10.00], user_id => 42);
SELECT id, balance FROM accounts.account WHERE id IN (1, 5, 6) ORDER BY id;

-- All or none: the second allocation fails, so the first is not made either.
SELECT amount FROM accounts.accounts_transfer(3, 5, 8.00);
SELECT accounts.accounts_redeem('ORDER-2', ARRAY[5, 6], ARRAY[8.00, 1.00]);
\echo :LAST_ERROR_SQLSTATE
SELECT id, balance FROM accounts.account WHERE id IN (1, 5, 6) ORDER BY id;
SELECT count(*) AS transfers_for_order_2 FROM accounts.transfer WHERE merchant_reference = 'ORDER-2';

-- Each allocation is checked: authorisation, window, status.
SELECT accounts.accounts_redeem('ORDER-3', ARRAY[5], ARRAY[1.00], user_id => 43);
\echo :LAST_ERROR_SQLSTATE
SELECT id FROM accounts.accounts_freeze(7);
SELECT accounts.accounts_redeem('ORDER-3', ARRAY[7], ARRAY[1.00]);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_redeem('ORDER-3', ARRAY[999], ARRAY[1.00]);
\echo :LAST_ERROR_SQLSTATE

-- Malformed requests.
SELECT accounts.accounts_redeem('ORDER-4', ARRAY[5, 5], ARRAY[1.00, 1.00]);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_redeem('ORDER-4', ARRAY[5], ARRAY[1.00, 2.00]);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_redeem('ORDER-4', ARRAY[]::bigint[], ARRAY[]::numeric[]);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_redeem('ORDER-4', ARRAY[5, NULL], ARRAY[1.00, 1.00]);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_redeem(NULL, ARRAY[5], ARRAY[1.00]);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_redeem('ORDER-4', ARRAY[5], ARRAY[0.001]);
\echo :LAST_ERROR_SQLSTATE

-- A retried request with the same idempotency key pays once.
SELECT amount FROM accounts.accounts_redeem('ORDER-5', ARRAY[5], ARRAY[3.00], idempotency_key => 'checkout-5');
SELECT amount FROM accounts.accounts_redeem('ORDER-5', ARRAY[5], ARRAY[3.00], idempotency_key => 'checkout-5');
SELECT count(*) AS transfers_for_order_5 FROM accounts.transfer WHERE merchant_reference = 'ORDER-5';
SELECT accounts.accounts_redeem('ORDER-5', ARRAY[5], ARRAY[4.00], idempotency_key => 'checkout-5');
\echo :LAST_ERROR_SQLSTATE

SELECT * FROM accounts.accounts_verify();
