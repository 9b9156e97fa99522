-- The README's roles, used for real: the application role moves money only through the
-- functions; the reporting role reads; a role granted nothing gets nothing.
\set SHOW_CONTEXT never
\set VERBOSITY terse
DROP EXTENSION oscar_accounts CASCADE;
CREATE EXTENSION oscar_accounts;
SELECT count(*) FROM accounts.accounts_init();
DROP ROLE IF EXISTS regress_shop_app;
DROP ROLE IF EXISTS regress_reporting;
DROP ROLE IF EXISTS regress_nobody;
CREATE ROLE regress_shop_app;
CREATE ROLE regress_reporting;
CREATE ROLE regress_nobody;
-- The recipe, as README gives it.
GRANT USAGE ON SCHEMA accounts TO regress_shop_app, regress_reporting, regress_nobody;
GRANT SELECT ON ALL TABLES IN SCHEMA accounts TO regress_shop_app, regress_reporting;
GRANT EXECUTE ON FUNCTION
    accounts.accounts_transfer(bigint, bigint, numeric, bigint, bigint, text, text, text, text),
    accounts.accounts_reverse(bigint, bigint, text, text, text, text),
    accounts.accounts_transfer_batch(bigint[], bigint[], numeric[], text, bigint, text, text),
    accounts.accounts_refund(bigint, numeric, bigint, text, text, text, text),
    accounts.accounts_refundable(bigint),
    accounts.accounts_redeem(text, bigint[], numeric[], bigint, text, text),
    accounts.accounts_permitted_allocation(bigint, numeric, numeric, numeric, numeric),
    accounts.accounts_create_account(bigint, text, text, timestamptz, timestamptz, numeric, bigint, bigint[], bigint,
                                     boolean, text, text, boolean, integer, numeric, bigint, bigint, text),
    accounts.accounts_update_account(bigint, jsonb),
    accounts.accounts_freeze(bigint), accounts.accounts_thaw(bigint), accounts.accounts_close(bigint),
    accounts.accounts_lookup_code(text, inet),
    accounts.accounts_close_expired(timestamptz, text),
    accounts.accounts_balance_at(bigint, timestamptz),
    accounts.accounts_verify(),
    accounts.accounts_statement(bigint, timestamptz, timestamptz)
  TO regress_shop_app;
GRANT EXECUTE ON FUNCTION accounts.accounts_verify(), accounts.accounts_balance_at(bigint, timestamptz),
    accounts.accounts_deferred_income_report(date), accounts.accounts_profit_loss_report(date, date),
    accounts.accounts_statement(bigint, timestamptz, timestamptz), accounts.accounts_trial_balance(timestamptz)
  TO regress_reporting;

SET ROLE regress_shop_app;
SELECT id, code, balance FROM accounts.accounts_create_account(code => 'ROLECARD', initial_amount => 40.00, source => 3);
SELECT amount FROM accounts.accounts_redeem('ROLE-1', ARRAY[5], ARRAY[15.00]);
SELECT amount FROM accounts.accounts_refund(2, 5.00);
SELECT status FROM accounts.accounts_freeze(5);
SELECT status FROM accounts.accounts_thaw(5);
SELECT id, balance FROM accounts.accounts_lookup_code('rolecard', '192.0.2.10');
-- Direct writes: every one refused by the privileges.
UPDATE accounts.account SET balance = 1000000 WHERE id = 5;
UPDATE accounts.account SET status = 'Frozen' WHERE id = 5;
INSERT INTO accounts.account (code) VALUES ('FORGED');
INSERT INTO accounts.transfer (reference, source_id, destination_id, amount) VALUES (repeat('A', 32), 3, 5, 1);
INSERT INTO accounts.posting (transfer_id, account_id, amount) VALUES (1, 5, 1);
DELETE FROM accounts.transfer;
DELETE FROM accounts.ip_address_record;
UPDATE accounts.idempotent_request SET transfer_ids = '{}';
SELECT accounts.accounts_init();
SELECT accounts.accounts_import_transfer(3, 5, 1.00, now());
SET oscar_accounts.lookup_block_threshold = 1000000;
RESET ROLE;

SET ROLE regress_reporting;
SELECT account_type, accounts, balance FROM accounts.deferred_income_report;
SELECT count(*) AS violations FROM accounts.accounts_verify();
SELECT accounts.accounts_transfer(3, 5, 1.00);
SELECT accounts.accounts_freeze(5);
UPDATE accounts.account SET description = 'x';
RESET ROLE;

SET ROLE regress_nobody;
SELECT count(*) FROM accounts.account;
SELECT accounts.accounts_transfer(3, 5, 1.00);
SELECT count(*) FROM accounts.accounts_verify();
SELECT count(*) FROM accounts.deferred_income_report;
RESET ROLE;

SELECT id, balance FROM accounts.account WHERE id IN (1, 3, 5) ORDER BY id;
SELECT count(*) AS violations FROM accounts.accounts_verify();
DROP OWNED BY regress_shop_app, regress_reporting, regress_nobody;
DROP ROLE regress_shop_app;
DROP ROLE regress_reporting;
DROP ROLE regress_nobody;
