-- Reports: deferred income and profit/loss (hand-computed), statement, trial balance, and the
-- historic import path they are tested with.
\set SHOW_CONTEXT never
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SET TimeZone = 'UTC';
SELECT count(*) FROM accounts.accounts_init();
-- 1 Redemptions, 2 Lapsed accounts, 3 Bank, 4 Unpaid source; cards 5..15 below.
SELECT count(*) FROM (
    SELECT accounts.accounts_create_account(code => c, end_date => e)
      FROM (VALUES ('A1', '2024-02-11 00:00+00'::timestamptz), ('A2', '2024-03-17 00:00+00'),
                   ('A3', '2024-04-16 00:00+00'), ('A4', '2024-08-19 00:00+00'), ('A5', NULL),
                   ('A6', '2024-01-28 00:00+00'),
                   ('A7', '2024-03-02 00:00+00'),   -- exactly 30 days after the cut-off
                   ('A8', '2024-03-02 12:00+00'),   -- 30.5 days: floored to 30
                   ('A9', '2024-03-03 00:00+00'),   -- 31 days
                   ('A10', NULL), ('A11', NULL)) v(c, e)
     ORDER BY length(c), c) x;
SELECT id, code FROM accounts.account WHERE code IS NOT NULL ORDER BY id;

-- A month of history, imported at its original instants (in order, through every check).
SELECT t.id, t.source_id, t.destination_id, t.amount, t.kind, t.date_created
  FROM (VALUES (3, 5, 100.00, '2024-01-26 10:00+00'::timestamptz, NULL::bigint),  -- A1 load
               (4, 6, 50.00, '2024-01-26 10:01+00', NULL),    -- A2 goodwill from the unpaid source
               (3, 7, 30.00, '2024-01-26 10:02+00', NULL),
               (3, 8, 20.00, '2024-01-26 10:03+00', NULL),
               (3, 9, 10.00, '2024-01-26 10:04+00', NULL),
               (3, 10, 7.00, '2024-01-26 10:05+00', NULL),
               (3, 11, 1.00, '2024-01-26 10:06+00', NULL),
               (3, 12, 1.00, '2024-01-26 10:07+00', NULL),
               (3, 13, 1.00, '2024-01-26 10:08+00', NULL),
               (5, 1, 40.00, '2024-01-27 12:00+00', NULL),    -- A1 redeems 40
               (6, 4, 8.00, '2024-01-27 13:00+00', NULL),     -- A2 withdraws 8 back to the unpaid source
               (1, 5, 5.00, '2024-01-28 09:00+00', 10),       -- refund 5 of that redemption
               (10, 2, 7.00, '2024-01-29 00:30+00', NULL),    -- A6 (expired) lapses
               (3, 14, 2.00, '2024-01-30 18:00+00', NULL),    -- A10
               (3, 14, 3.00, '2024-02-01 00:00+00', NULL),    -- A10 again, exactly at the cut-off
               (3, 15, 9.00, '2024-02-05 08:00+00', NULL))    -- A11, after the cut-off
       AS v(source, destination, amount, at, parent),
       LATERAL accounts.accounts_import_transfer(v.source, v.destination, v.amount, v.at, v.parent) t
 ORDER BY t.id;
SELECT id, status FROM accounts.accounts_close(10);
-- Accounts that received history now date from it.
SELECT code, date_created FROM accounts.account WHERE code IN ('A1', 'A10', 'A11') ORDER BY id;

-- Imports refuse the future, going back before what an account already has, and bad input.
SELECT accounts.accounts_import_transfer(3, 5, 1.00, now() + interval '1 day');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_import_transfer(3, 5, 1.00, '2024-01-26 00:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_import_transfer(3, 5, 1.00, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_import_transfer(3, 5, 1.00, '-infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_import_transfer(5, 1, 1000.00, '2024-03-01 00:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT accounts.accounts_import_transfer(7, 1, 1.00, '2024-12-01 00:00+00');
\echo :LAST_ERROR_SQLSTATE

-- Deferred income at the end of 31 January 2024. By hand:
--   <= 30 days: A1 65.00 (100 - 40 + 5), A6 0.00 (expired: 0 days), A7 1.00, A8 1.00   -> 4, 67.00
--   31-60:      A2 42.00 (50 - 8), A9 1.00                                          -> 2, 43.00
--   61-90:      A3 30.00 -> 1;  > 90: A4 20.00 -> 1;  no end date: A5 10.00, A10 2.00 -> 2, 12.00
--   A10's 3.00 at exactly the cut-off belongs to 1 February; A11 did not exist yet.
\x on
SELECT * FROM accounts.accounts_deferred_income_report('2024-01-31');
\x off
SELECT account_type, accounts, balance FROM accounts.accounts_deferred_income_report('2024-01-31');
-- The same date read in New York: its midnight is 05:00 UTC, so A10's 3.00 is in.
SET oscar_accounts.report_time_zone = 'America/New_York';
SELECT account_type, accounts, balance, no_end_date, balance_no_end_date
  FROM accounts.accounts_deferred_income_report('2024-01-31');
RESET oscar_accounts.report_time_zone;
SET oscar_accounts.report_time_zone = 'Mars/Olympus_Mons';
\echo :LAST_ERROR_SQLSTATE
-- Before any of these accounts existed: none is counted (the reference counts them with 0.00).
SELECT account_type, accounts, balance FROM accounts.accounts_deferred_income_report('2023-12-31');

-- Profit and loss for 26-31 January. By hand: in from cash 172.00 (100+30+20+10+7+1+1+1+2),
-- from the unpaid source 50.00, refunds 5.00 => 227.00; out as redemptions 40.00, lapsed 7.00,
-- withdrawn to the unpaid source 8.00 => 55.00; difference 172.00 = position 0.00 -> 172.00.
SELECT * FROM accounts.accounts_profit_loss_report('2024-01-26', '2024-01-31');
-- One day (start = end): 27 January.
SELECT line, name, amount FROM accounts.accounts_profit_loss_report('2024-01-27', '2024-01-27');
-- An empty period.
SELECT line, amount FROM accounts.accounts_profit_loss_report('2023-01-01', '2023-01-31');
SELECT accounts.accounts_profit_loss_report('2024-01-31', '2024-01-01');
\echo :LAST_ERROR_SQLSTATE

-- A statement: A1 from 26 to 29 January, with its running balance.
SELECT date_created, transfer_id, kind, counterparty, description, amount, balance
  FROM accounts.accounts_statement(5, '2024-01-26 00:00+00', '2024-01-29 00:00+00');
SELECT accounts.accounts_statement(999, now(), now());
\echo :LAST_ERROR_SQLSTATE

-- The trial balance sums to zero, also before anything was recorded.
SELECT account_type, balance FROM accounts.accounts_trial_balance('2000-01-01') WHERE account_type = 'Total';
-- The trial balance at the end of January sums to zero.
SELECT * FROM accounts.accounts_trial_balance('2024-01-31 23:59:59.999999+00');

-- Reports are read-only: they run in a read-only transaction (as on a hot standby).
BEGIN TRANSACTION READ ONLY;
SELECT count(*) FROM accounts.accounts_deferred_income_report('2024-01-31');
SELECT count(*) FROM accounts.accounts_profit_loss_report('2024-01-01', '2024-02-29');
SELECT count(*) FROM accounts.deferred_income_report;
SELECT count(*) FROM accounts.profit_loss_report;
SELECT count(*) FROM accounts.accounts_trial_balance();
COMMIT;

-- The profit and loss report reconciles on varied data: random imported history (loads,
-- redemptions, refunds, lapses, withdrawals, card-to-card moves), then 60 random windows.
SELECT count(*) FROM (SELECT accounts.accounts_create_account(code => 'R' || g) FROM generate_series(1, 6) g) x;
SELECT setseed(0.42);
DO $$
DECLARE
    v_at timestamptz := '2024-03-01 00:00+00';
    v_kind integer;
    v_card bigint;
    v_other bigint;
    v_parent bigint;
    v_amount numeric;
BEGIN
    FOR i IN 1 .. 400 LOOP
        v_at := v_at + (random() * interval '3 hours');
        v_kind := floor(random() * 6);
        v_card := 16 + floor(random() * 6);
        v_other := 16 + floor(random() * 6);
        v_amount := round((1 + random() * 30)::numeric, 2);
        BEGIN
            CASE v_kind
                WHEN 0 THEN PERFORM accounts.accounts_import_transfer(3, v_card, v_amount, v_at);
                WHEN 1 THEN PERFORM accounts.accounts_import_transfer(4, v_card, v_amount, v_at);
                WHEN 2 THEN PERFORM accounts.accounts_import_transfer(v_card, 1, v_amount, v_at);
                WHEN 3 THEN
                    SELECT t.id INTO v_parent FROM accounts.transfer t
                     WHERE t.destination_id = 1 AND t.kind = 'transfer' ORDER BY random() LIMIT 1;
                    PERFORM accounts.accounts_import_transfer(1, (SELECT source_id FROM accounts.transfer WHERE id = v_parent),
                                                              least(v_amount, accounts.accounts_refundable(v_parent)),
                                                              v_at, v_parent);
                WHEN 4 THEN PERFORM accounts.accounts_import_transfer(v_card, 4, v_amount, v_at);
                ELSE PERFORM accounts.accounts_import_transfer(v_card, v_other, v_amount, v_at);
            END CASE;
        EXCEPTION WHEN OTHERS THEN
            NULL;  -- refused by the ledger (funds, closed, same account...): history goes on without it
        END;
    END LOOP;
END
$$;
SELECT count(*) > 250 AS enough_history FROM accounts.transfer;
WITH windows AS (
    SELECT d AS start_date, d + floor(random() * 20)::integer AS end_date
      FROM (SELECT '2024-02-25'::date + floor(random() * 60)::integer AS d FROM generate_series(1, 60)) x
), checks AS (
    SELECT w.start_date, w.end_date,
           (SELECT amount FROM accounts.accounts_profit_loss_report(w.start_date, w.end_date)
             WHERE line = 'difference (increase - reduction)') AS difference,
           (SELECT amount FROM accounts.accounts_profit_loss_report(w.start_date, w.end_date)
             WHERE line = 'change in position (end - start)') AS change
      FROM windows w
)
SELECT count(*) AS windows, count(*) FILTER (WHERE difference <> change) AS not_reconciled,
       count(*) FILTER (WHERE difference <> 0) AS windows_with_movement
  FROM checks;
-- And the deferred-income Total agrees with the balances at every cut-off.
SELECT count(*) FILTER (WHERE r.balance <> (SELECT coalesce(sum(accounts.accounts_balance_at(a.id, accounts._day_start(d + 1) - interval '1 microsecond')), 0)
                                              FROM accounts.account a WHERE a.account_type_id = 7)) AS disagreeing_days
  FROM generate_series('2024-02-25'::date, '2024-05-10'::date, interval '1 day') g(d_ts),
       LATERAL (SELECT g.d_ts::date AS d) dd(d),
       LATERAL accounts.accounts_deferred_income_report(dd.d) r
 WHERE r.account_type = 'Total';
SELECT (SELECT balance FROM accounts.accounts_trial_balance() WHERE account_type = 'Total') AS trial_balance_total;
SELECT * FROM accounts.accounts_verify();
