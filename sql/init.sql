-- accounts_init(): the reference's chart of accounts, recorded roles, safe to run twice.
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;

SELECT * FROM accounts.accounts_init();

-- The tree, as full names.
WITH RECURSIVE tree AS (
    SELECT id, name, name AS full_name FROM accounts.account_type WHERE parent_id IS NULL
    UNION ALL
    SELECT t.id, t.name, tree.full_name || ' / ' || t.name
      FROM accounts.account_type t JOIN tree ON t.parent_id = tree.id
)
SELECT full_name FROM tree ORDER BY full_name;

SELECT a.id, a.name, t.name AS type, a.status, a.credit_limit, a.balance, a.code, a.currency,
       a.can_be_used_for_non_products
  FROM accounts.account a JOIN accounts.account_type t ON t.id = a.account_type_id
 ORDER BY a.id;

-- A second run changes nothing (the reference's command duplicates the types and fails).
SELECT count(*) AS rows_returned FROM accounts.accounts_init();
SELECT count(*) AS types FROM accounts.account_type;
SELECT count(*) AS accounts FROM accounts.account;

-- Adding an unpaid source and a deferred-income type later is additive.
SELECT role, kind, id, name FROM accounts.accounts_init(
    unpaid_source_names => ARRAY['Unpaid source', 'Goodwill'],
    deferred_income_type_names => ARRAY['Dashboard created accounts', 'Budgets'])
 WHERE role IN ('unpaid_source', 'deferred_income_type');

-- A recorded role is kept even if its account was renamed since (or another name is asked for).
UPDATE accounts.account SET name = 'Cash at bank' WHERE id = 3;
SELECT role, id, name FROM accounts.accounts_init(bank_name => 'Cash account') WHERE role = 'bank';
SELECT role, id, name FROM accounts.accounts_init() WHERE role = 'bank';

-- An existing account of another type cannot be adopted for a role; nothing is written.
INSERT INTO accounts.account (name, account_type_id) VALUES ('Vouchers', 7);
SELECT * FROM accounts.accounts_init(unpaid_source_names => ARRAY['Unpaid source', 'Vouchers']);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS accounts, (SELECT count(*) FROM accounts.system_account) AS roles FROM accounts.account;

-- Names are configurable on the first run.
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT role, name FROM accounts.accounts_init(redemptions_name => 'Sales', lapsed_name => 'Expired',
                                              bank_name => 'Cash', unpaid_source_names => ARRAY['Marketing'])
 WHERE kind = 'account';

-- A run with no unpaid sources and no deferred types still builds the fixed tree.
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init(unpaid_source_names => '{}', deferred_income_type_names => NULL);

-- One account cannot play two roles.
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT * FROM accounts.accounts_init(redemptions_name => 'Sales X', lapsed_name => 'Sales X');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS accounts FROM accounts.account;
