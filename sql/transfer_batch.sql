-- accounts_transfer_batch(): many transfers in one statement, all or none.
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init();
SELECT count(*) FROM (SELECT accounts.accounts_create_account(code => 'B' || g) FROM generate_series(5, 8) g) x;

-- Load four cards from the Bank, then let card 5 spend what transfer 1 gave it: the rules run
-- in order on the locked balances.
SELECT id, source_id, destination_id, amount, kind, description, reference ~ '^[0-9A-F]{32}$' AS reference_ok
  FROM accounts.accounts_transfer_batch(ARRAY[3, 3, 3, 3, 5], ARRAY[5, 6, 7, 8, 1],
                                        ARRAY[10.00, 20.00, 30.00, 40.00, 10.00], description => 'batch 1');
SELECT id, balance FROM accounts.account ORDER BY id;

-- All or none: the fourth transfer overdraws, so none of the five is made.
SELECT accounts.accounts_transfer_batch(ARRAY[3, 6, 7, 8, 3], ARRAY[5, 1, 1, 1, 6],
                                        ARRAY[1.00, 5.00, 5.00, 41.00, 1.00]);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS transfers FROM accounts.transfer;
SELECT sum(balance) AS held_by_cards FROM accounts.account WHERE id >= 5;

-- Bad input names the position in the batch.
SELECT accounts.accounts_transfer_batch(ARRAY[3, 3], ARRAY[5, 5], ARRAY[1.00, 0.001]);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer_batch(ARRAY[3, NULL], ARRAY[5, 5], ARRAY[1.00, 1.00]);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer_batch(ARRAY[3, 5], ARRAY[5, 5], ARRAY[1.00, 1.00]);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer_batch(ARRAY[3, 999], ARRAY[5, 5], ARRAY[1.00, 1.00]);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer_batch(ARRAY[3], ARRAY[5, 6], ARRAY[1.00]);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer_batch(ARRAY[]::bigint[], ARRAY[]::bigint[], ARRAY[]::numeric[]);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer_batch(ARRAY[[3, 3]], ARRAY[[5, 6]], ARRAY[[1.00, 1.00]]);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_transfer_batch('[2:3]={3,3}'::bigint[], ARRAY[5, 6], ARRAY[1.00, 1.00]);
\echo :LAST_ERROR_SQLSTATE
SELECT id FROM accounts.accounts_freeze(8);
SELECT accounts.accounts_transfer_batch(ARRAY[3, 8], ARRAY[5, 1], ARRAY[1.00, 1.00]);
\echo :LAST_ERROR_SQLSTATE

-- A thousand transfers at once.
SELECT count(*), sum(amount) FROM accounts.accounts_transfer_batch(
    (SELECT array_agg(3::bigint) FROM generate_series(1, 1000)),
    (SELECT array_agg(5 + g % 3) FROM generate_series(1, 1000) g),
    (SELECT array_agg(0.01) FROM generate_series(1, 1000)));
SELECT count(*) AS transfers, (SELECT count(*) FROM accounts.posting) AS postings FROM accounts.transfer;
SELECT * FROM accounts.accounts_verify();
