-- The extension's side: the chart of accounts (Redemptions, Lapsed, Bank, Unpaid source), then
-- `accounts` cards, each created and loaded with 1,000,000.00 from the Bank by
-- accounts_create_account() (credit limit 0.00, so every transfer's funds check is real).
--
-- psql variables: accounts.
\set ON_ERROR_STOP on
SELECT count(*) AS chart_rows FROM accounts.accounts_init();
SELECT count(*) AS cards
  FROM generate_series(1, :accounts) AS i,
       LATERAL accounts.accounts_create_account(
           name => 'bench card ' || i,
           initial_amount => 1000000.00,
           source => (SELECT account_id FROM accounts.system_account WHERE role = 'bank')) AS a;
-- Redemptions is a hot account (accounts_set_hot): credits to it wait in accounts.hot_credit
-- instead of queueing on its row lock. The cards are not hot.
SELECT hot AS redemptions_hot FROM accounts.accounts_set_hot((SELECT account_id FROM accounts.system_account WHERE role = 'redemptions'));
