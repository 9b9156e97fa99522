-- Hot accounts: credits wait in accounts.hot_credit instead of queueing on the row lock; the
-- exact balance is accounts.account_balance / accounts_balance(); lockers fold what is pending.
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init();
SELECT id FROM accounts.accounts_create_account(code => 'CARD', initial_amount => 500.00, source => 3);  -- account 5
SELECT id FROM accounts.accounts_create_account(code => 'OTHER', initial_amount => 100.00, source => 3); -- account 6

-- Redemptions (account 1) becomes hot; nothing is pending yet.
SELECT id, name, hot, balance FROM accounts.accounts_set_hot(1);
SELECT * FROM accounts.account_balance WHERE account_id = 1;

-- Two redemptions: the cards' balances move at once, Redemptions' column waits.
SELECT id FROM accounts.accounts_transfer(5, 1, 30.00);
SELECT id FROM accounts.accounts_redeem('ORD-1', ARRAY[5, 6], ARRAY[20.00, 10.00]);
SELECT id, balance FROM accounts.account WHERE id IN (1, 5, 6) ORDER BY id;
SELECT transfer_id, account_id, amount FROM accounts.hot_credit ORDER BY transfer_id;
SELECT * FROM accounts.account_balance WHERE account_id IN (1, 5, 6) ORDER BY account_id;
SELECT accounts.accounts_balance(1) AS redemptions, accounts.accounts_balance(5) AS card,
       accounts.accounts_balance(999) AS no_such_account;
SELECT * FROM accounts.accounts_verify();

-- A debit of the hot account (a refund back to the card) folds the pending credits first.
SELECT amount, kind FROM accounts.accounts_refund(3, 5.00);
SELECT id, balance FROM accounts.account WHERE id IN (1, 5) ORDER BY id;
SELECT count(*) AS pending FROM accounts.hot_credit;
SELECT * FROM accounts.accounts_verify();

-- A refused credit to a hot account writes nothing, pending included.
SELECT id FROM accounts.accounts_transfer(5, 1, 10000.00);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS pending FROM accounts.hot_credit;

-- A frozen hot account receives nothing; thawed, it does again. Status changes fold.
SELECT id FROM accounts.accounts_transfer(5, 1, 1.00);
SELECT status, balance FROM accounts.accounts_freeze(1);
SELECT count(*) AS pending FROM accounts.hot_credit;
SELECT id FROM accounts.accounts_transfer(5, 1, 1.00);
\echo :LAST_ERROR_SQLSTATE
SELECT status FROM accounts.accounts_thaw(1);
SELECT id FROM accounts.accounts_transfer(5, 1, 1.00);
-- At REPEATABLE READ a status change folds what its snapshot sees (40001 only for what it cannot).
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT status, balance FROM accounts.accounts_freeze(1);
SELECT status, balance FROM accounts.accounts_thaw(1);
COMMIT;

-- A hot card: its debits fold, its close sees the pending credits and is refused.
SELECT hot FROM accounts.accounts_set_hot(6);
SELECT id FROM accounts.accounts_transfer(3, 6, 7.00);
SELECT balance FROM accounts.account WHERE id = 6;
SELECT accounts.accounts_balance(6);
SELECT accounts.accounts_permitted_allocation(6, 1000.00);
SELECT id FROM accounts.accounts_transfer(6, 5, 97.00);
SELECT balance FROM accounts.account WHERE id = 6;
SELECT id FROM accounts.accounts_transfer(3, 6, 2.00);
SELECT accounts.accounts_close(6);
\echo :LAST_ERROR_SQLSTATE

-- Hot to hot: both rows locked, both folded.
SELECT id FROM accounts.accounts_transfer(6, 1, 2.00);
SELECT id, balance FROM accounts.account WHERE id IN (1, 6) ORDER BY id;
SELECT status FROM accounts.accounts_close(6);

-- Turning hot off folds what is pending; the flag is refused as NULL.
SELECT id FROM accounts.accounts_transfer(5, 1, 4.00);
SELECT hot, balance FROM accounts.accounts_set_hot(1, false);
SELECT count(*) AS pending FROM accounts.hot_credit;
SELECT accounts.accounts_set_hot(1, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_set_hot(999);
\echo :LAST_ERROR_SQLSTATE

-- A batch locks and folds hot accounts like any other.
SELECT hot FROM accounts.accounts_set_hot(1);
SELECT id FROM accounts.accounts_transfer(5, 1, 3.00);
SELECT count(*) FROM accounts.accounts_transfer_batch(ARRAY[5, 1], ARRAY[1, 5], ARRAY[1.00, 2.00]);
SELECT id, balance FROM accounts.account WHERE id IN (1, 5) ORDER BY id;
SELECT count(*) AS pending FROM accounts.hot_credit;

-- Nobody writes pending credits but the ledger.
SELECT id FROM accounts.accounts_transfer(5, 1, 1.00);
INSERT INTO accounts.hot_credit VALUES (1, 1, 1.00, now());
\echo :LAST_ERROR_SQLSTATE
DELETE FROM accounts.hot_credit;
\echo :LAST_ERROR_SQLSTATE
UPDATE accounts.hot_credit SET amount = 100.00;
\echo :LAST_ERROR_SQLSTATE
TRUNCATE accounts.hot_credit;
\echo :LAST_ERROR_SQLSTATE
SELECT accounts._fold_hot_credits(NULL, true);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts._fold_hot_credits(999, true);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_set_hot(NULL);
\echo :LAST_ERROR_SQLSTATE

-- Reports read exact balances: the trial balance sums to zero, and the ledger is clean.
SELECT account_type, account, balance FROM accounts.accounts_trial_balance() WHERE account_id IS NULL;
SELECT * FROM accounts.accounts_verify();

-- accounts_fold_hot_credits(): the maintenance fold, for one account or every one with credits.
SELECT id FROM accounts.accounts_transfer(5, 1, 2.00);
SELECT hot FROM accounts.accounts_set_hot(5);
SELECT id FROM accounts.accounts_transfer(3, 5, 8.00);
SELECT * FROM accounts.accounts_fold_hot_credits(5);
SELECT * FROM accounts.accounts_fold_hot_credits();
SELECT * FROM accounts.accounts_fold_hot_credits();
SELECT count(*) AS pending FROM accounts.hot_credit;
SELECT accounts.accounts_fold_hot_credits(999);
\echo :LAST_ERROR_SQLSTATE

-- The expiry sweep lapses a hot card's pending credits with the rest of its balance.
SELECT id FROM accounts.accounts_create_account(code => 'EXPIRED', initial_amount => 10.00, source => 3,
                                                start_date => now() - interval '2 days',
                                                end_date => now() - interval '1 day');          -- account 7
SELECT hot FROM accounts.accounts_set_hot(7);
SELECT id FROM accounts.accounts_transfer(3, 7, 5.00);
SELECT balance, pending FROM accounts.account_balance WHERE account_id = 7;
SELECT account_id, balance, lapsed_amount, closed, refusal FROM accounts.accounts_close_expired();
SELECT a.status, a.balance, b.pending FROM accounts.account a JOIN accounts.account_balance b ON b.account_id = a.id
 WHERE a.id = 7;
SELECT * FROM accounts.accounts_verify();

-- Credits past the column's range stay pending: the fold moves what fits, nothing is wedged.
SELECT id FROM accounts.accounts_create_account(code => 'HUGE');                              -- account 8
SELECT hot FROM accounts.accounts_set_hot(8);
SELECT id FROM accounts.accounts_transfer(3, 8, 6000000000000000.00);
SELECT id FROM accounts.accounts_transfer(4, 8, 6000000000000000.00);
SELECT * FROM accounts.accounts_fold_hot_credits(8);
SELECT balance, pending FROM accounts.account_balance WHERE account_id = 8;
SELECT id FROM accounts.accounts_transfer(8, 1, 5000000000000000.00);
SELECT status FROM accounts.accounts_freeze(8);
SELECT a.balance, b.balance AS exact, b.pending FROM accounts.account a
  JOIN accounts.account_balance b ON b.account_id = a.id WHERE a.id = 8;
SELECT * FROM accounts.accounts_verify();
