-- Account lifecycle: create (with a generated code and an initial load), edit, freeze, thaw, close.
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init();
-- 1 Redemptions, 2 Lapsed accounts, 3 Bank, 4 Unpaid source; type 7 is the deferred-income type.

-- A gift card with a generated code, loaded from the Bank, in one call.
SELECT id, name, account_type_id, code ~ '^[A-Z0-9]{12}$' AS code_ok, status, credit_limit, balance, currency,
       primary_user_id, can_be_used_for_non_products
  FROM accounts.accounts_create_account(generate_code => true, initial_amount => 50.00, source => 3,
                                        primary_user_id => 42, end_date => now() + interval '1 year');
SELECT source_id, destination_id, amount, description FROM accounts.transfer;

-- An explicit code is stored as a checkout form would read it; secondary users; a budget
-- with an unlimited credit limit, of an explicit type, in euros.
SELECT id, code FROM accounts.accounts_create_account(code => ' team-budget-01 ', secondary_user_ids => ARRAY[7, 8, 8]);
SELECT account_id, user_id FROM accounts.account_secondary_user ORDER BY 1, 2;
SELECT id, name, credit_limit, currency, account_type_id
  FROM accounts.accounts_create_account(account_type_id => 7, name => 'Marketing budget', credit_limit => NULL,
                                        currency => 'EUR');

-- If the initial load is refused, nothing is created (the reference leaves an empty account).
SELECT count(*) AS accounts_before FROM accounts.account;
SELECT accounts.accounts_create_account(code => 'NEWCARD', initial_amount => 10.00, source => 6);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_create_account(code => 'NEWCARD', initial_amount => 0, source => 3);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS accounts_after, (SELECT count(*) FROM accounts.account WHERE code = 'NEWCARD') AS newcard
  FROM accounts.account;

-- Refused creations.
SELECT accounts.accounts_create_account(code => 'team-budget-01');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_create_account(name => 'Bank');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_create_account(code => ' - ');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_create_account(code => 'X', generate_code => true);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_create_account(generate_code => true, code_length => 0);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_create_account(start_date => '2027-01-02', end_date => '2027-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_create_account(end_date => 'infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_create_account(credit_limit => -10);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_create_account(currency => 'gbp');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_create_account(account_type_id => 999);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_create_account(initial_amount => 10);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS accounts_after_refusals FROM accounts.account;

-- Editing: only the named fields change, under the row lock.
SELECT id, name, description, end_date > now() AS still_valid, credit_limit
  FROM accounts.accounts_update_account(5, '{"name": "Birthday card", "description": "From the team"}');
SELECT id, name, end_date FROM accounts.accounts_update_account(5, '{"end_date": null}');
SELECT id, credit_limit FROM accounts.accounts_update_account(5, '{"credit_limit": 25}');
SELECT id FROM accounts.accounts_update_account(6, '{"secondary_user_ids": [9, null]}');
SELECT account_id, user_id FROM accounts.account_secondary_user ORDER BY 1, 2;
SELECT accounts.accounts_update_account(5, '{"start_date": "2027-06-01", "end_date": "2027-01-01"}');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_update_account(5, '{"status": "Open"}');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_update_account(5, '{"balance": 1000}');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_update_account(5, '{"name": "Bank"}');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_update_account(5, '[1, 2]');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_update_account(999, '{}');
\echo :LAST_ERROR_SQLSTATE
-- A credit limit below what the account already owes is refused.
SELECT id FROM accounts.accounts_transfer(5, 1, 60.00);
SELECT id, credit_limit FROM accounts.accounts_update_account(5, '{"credit_limit": 10}');
SELECT accounts.accounts_update_account(5, '{"credit_limit": 5}');
\echo :LAST_ERROR_SQLSTATE

-- Status: freeze, thaw, close; Closed is final.
SELECT id, status FROM accounts.accounts_freeze(6);
SELECT accounts.accounts_freeze(6);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer(3, 6, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT id, status FROM accounts.accounts_thaw(6);
SELECT accounts.accounts_thaw(6);
\echo :LAST_ERROR_SQLSTATE
SELECT amount FROM accounts.accounts_transfer(3, 6, 5.00);
SELECT accounts.accounts_close(6);
\echo :LAST_ERROR_SQLSTATE
SELECT id FROM accounts.accounts_transfer(6, 1, 5.00);
SELECT id, status FROM accounts.accounts_close(6);
SELECT accounts.accounts_thaw(6);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_freeze(6);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_close(6);
\echo :LAST_ERROR_SQLSTATE
-- A negative balance may close (the reference allows it too).
SELECT id, balance, status FROM accounts.accounts_close(5);
SELECT accounts.accounts_freeze(NULL);
\echo :LAST_ERROR_SQLSTATE

SELECT * FROM accounts.accounts_verify();
