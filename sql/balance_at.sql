-- accounts_balance_at(): an account's balance at a past instant, from its postings.
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init();
SELECT id FROM accounts.accounts_create_account(code => 'CARD');
CREATE TEMP TABLE instants (label text, at timestamptz);
INSERT INTO instants VALUES ('before anything', clock_timestamp());
SELECT id FROM accounts.accounts_transfer(3, 5, 100.00);
INSERT INTO instants SELECT 'after the load', date_created FROM accounts.transfer WHERE id = 1;
SELECT id FROM accounts.accounts_transfer(5, 1, 30.00);
INSERT INTO instants SELECT 'after the spend', date_created FROM accounts.transfer WHERE id = 2;
SELECT id FROM accounts.accounts_transfer(1, 5, 5.00, parent => 2);
INSERT INTO instants VALUES ('now', now());

SELECT label, accounts.accounts_balance_at(5, at) AS card, accounts.accounts_balance_at(3, at) AS bank
  FROM instants ORDER BY at;
-- A posting exactly at the instant is included; one microsecond earlier it is not.
SELECT accounts.accounts_balance_at(5, date_created) AS at_load,
       accounts.accounts_balance_at(5, date_created - interval '1 microsecond') AS just_before
  FROM accounts.transfer WHERE id = 1;
-- The balance at now() is the balance column.
SELECT bool_and(accounts.accounts_balance_at(id, now()) = balance) AS consistent FROM accounts.account;

SELECT accounts.accounts_balance_at(999, now());
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_balance_at(5, NULL);
\echo :LAST_ERROR_SQLSTATE
