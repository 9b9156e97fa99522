-- Function signatures, SECURITY DEFINER with pinned search_path, and privileges: PUBLIC can
-- do nothing that matters, an application role granted per README's recipe can move money
-- but cannot write a ledger row directly, a reporting role can only read.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS oscar_accounts;
SELECT plan(141);

-- Every public function: name, arguments, SECURITY DEFINER or not.
CREATE TEMP TABLE api (name text, args text[], definer boolean, returns text);
INSERT INTO api VALUES
    ('accounts_transfer', ARRAY['bigint', 'bigint', 'numeric', 'bigint', 'bigint', 'text', 'text', 'text', 'text'], true, 'accounts.transfer'),
    ('accounts_reverse', ARRAY['bigint', 'bigint', 'text', 'text', 'text', 'text'], true, 'accounts.transfer'),
    ('accounts_transfer_batch', ARRAY['bigint[]', 'bigint[]', 'numeric[]', 'text', 'bigint', 'text', 'text'], true, 'setof accounts.transfer'),
    ('accounts_refund', ARRAY['bigint', 'numeric', 'bigint', 'text', 'text', 'text', 'text'], true, 'accounts.transfer'),
    ('accounts_redeem', ARRAY['text', 'bigint[]', 'numeric[]', 'bigint', 'text', 'text'], true, 'setof accounts.transfer'),
    ('accounts_create_account', ARRAY['bigint', 'text', 'text', 'timestamp with time zone', 'timestamp with time zone',
        'numeric', 'bigint', 'bigint[]', 'bigint', 'boolean', 'text', 'text', 'boolean', 'integer', 'numeric', 'bigint',
        'bigint', 'text'], true, 'accounts.account'),
    ('accounts_update_account', ARRAY['bigint', 'jsonb'], true, 'accounts.account'),
    ('accounts_freeze', ARRAY['bigint'], true, 'accounts.account'),
    ('accounts_thaw', ARRAY['bigint'], true, 'accounts.account'),
    ('accounts_close', ARRAY['bigint'], true, 'accounts.account'),
    ('accounts_set_hot', ARRAY['bigint', 'boolean'], true, 'accounts.account'),
    ('accounts_balance', ARRAY['bigint'], true, 'numeric'),
    ('accounts_fold_hot_credits', ARRAY['bigint'], true, 'setof record'),
    ('accounts_init', ARRAY['text', 'text', 'text', 'text[]', 'text[]'], true, 'setof record'),
    ('accounts_close_expired', ARRAY['timestamp with time zone', 'text'], true, 'setof record'),
    ('accounts_lookup_code', ARRAY['text', 'inet'], true, 'accounts.account'),
    ('accounts_permitted_allocation', ARRAY['bigint', 'numeric', 'numeric', 'numeric', 'numeric'], true, 'numeric'),
    ('accounts_refundable', ARRAY['bigint'], true, 'numeric'),
    ('accounts_balance_at', ARRAY['bigint', 'timestamp with time zone'], true, 'numeric'),
    ('accounts_verify', ARRAY[]::text[], true, 'setof record'),
    ('accounts_import_transfer', ARRAY['bigint', 'bigint', 'numeric', 'timestamp with time zone', 'bigint', 'bigint',
        'text', 'text', 'text'], false, 'accounts.transfer'),
    ('accounts_deferred_income_report', ARRAY['date'], true, 'setof record'),
    ('accounts_profit_loss_report', ARRAY['date', 'date'], true, 'setof record'),
    ('accounts_statement', ARRAY['bigint', 'timestamp with time zone', 'timestamp with time zone'], true, 'setof record'),
    ('accounts_trial_balance', ARRAY['timestamp with time zone'], true, 'setof record'),
    ('accounts_error_codes', ARRAY[]::text[], false, 'setof record');

SELECT has_function('accounts', name, args) FROM api ORDER BY name;
SELECT function_returns('accounts', name, args, returns) FROM api ORDER BY name;
SELECT CASE WHEN definer THEN is_definer('accounts', name, args) ELSE isnt_definer('accounts', name, args) END
  FROM api ORDER BY name;
SELECT function_privs_are('accounts', name, args, 'public', ARRAY[]::text[]) FROM api
 WHERE name <> 'accounts_error_codes' ORDER BY name;
SELECT is((SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'accounts'::regnamespace AND proname NOT LIKE '\_%'),
          (SELECT count(*)::int FROM api), 'the list above is every public function');
SELECT function_lang_is('accounts', 'accounts_transfer',
    ARRAY['bigint', 'bigint', 'numeric', 'bigint', 'bigint', 'text', 'text', 'text', 'text'], 'c');
SELECT function_lang_is('accounts', 'accounts_reverse', ARRAY['bigint', 'bigint', 'text', 'text', 'text', 'text'], 'c');
SELECT volatility_is('accounts', 'accounts_verify', ARRAY[]::text[], 'stable');
SELECT is((SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'accounts'::regnamespace
             AND proname <> '_refuse_write'
             AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (proconfig), false)),
          0, 'every function that runs SQL pins search_path to pg_catalog, pg_temp');
SELECT is((SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'accounts'::regnamespace AND prosecdef
             AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (proconfig), false)),
          0, 'every SECURITY DEFINER function pins search_path');
SELECT is((SELECT array_agg(proname::text ORDER BY proname) FROM pg_proc
            WHERE pronamespace = 'accounts'::regnamespace AND has_function_privilege('public', oid, 'EXECUTE')),
          ARRAY['_default_currency', '_normalise_code', '_report_today', '_report_zone', 'accounts_error_codes'],
          'PUBLIC may execute only harmless helpers');

-- PUBLIC gets nothing on the ledger.
SELECT is((SELECT count(*)::int FROM information_schema.role_table_grants
            WHERE table_schema = 'accounts' AND grantee = 'PUBLIC'), 0, 'no table privilege for PUBLIC');
SELECT schema_privs_are('accounts', 'public', ARRAY[]::text[], 'no USAGE on schema accounts for PUBLIC');

-- The README's role recipe.
CREATE ROLE tap_shop_app NOLOGIN;
CREATE ROLE tap_reporting NOLOGIN;
CREATE ROLE tap_nobody NOLOGIN;
GRANT USAGE ON SCHEMA accounts TO tap_shop_app, tap_reporting, tap_nobody;
GRANT SELECT ON ALL TABLES IN SCHEMA accounts TO tap_shop_app, tap_reporting;
-- Every public function but accounts_init, by name (as the README's recipe).
SELECT format('GRANT EXECUTE ON FUNCTION %s TO tap_shop_app', p.oid::regprocedure)
  FROM pg_proc p WHERE p.pronamespace = 'accounts'::regnamespace AND p.proname NOT LIKE '\_%'
   AND p.proname NOT IN ('accounts_init', 'accounts_import_transfer') \gexec
SELECT is((SELECT count(*)::int FROM pg_proc p WHERE p.pronamespace = 'accounts'::regnamespace
             AND p.proname LIKE '\_%' AND p.proname NOT IN ('_default_currency', '_normalise_code', '_report_today',
                                                             '_report_zone')
             AND has_function_privilege('tap_shop_app', p.oid, 'EXECUTE')),
          0, 'the application role cannot execute internal functions');
GRANT EXECUTE ON FUNCTION accounts.accounts_verify(), accounts.accounts_balance_at(bigint, timestamptz),
    accounts.accounts_balance(bigint),
    accounts.accounts_deferred_income_report(date), accounts.accounts_profit_loss_report(date, date),
    accounts.accounts_statement(bigint, timestamptz, timestamptz), accounts.accounts_trial_balance(timestamptz)
  TO tap_reporting;
SELECT count(*) FROM accounts.accounts_init();
CREATE TEMP TABLE ids AS
SELECT (SELECT account_id FROM accounts.system_account WHERE role = 'bank') AS bank,
       (SELECT account_id FROM accounts.system_account WHERE role = 'redemptions') AS redemptions;
GRANT SELECT ON ids TO tap_shop_app, tap_reporting, tap_nobody;

SET ROLE tap_shop_app;
SELECT lives_ok($$CREATE TEMP TABLE card AS SELECT id FROM accounts.accounts_create_account(code => 'TAPCARD',
                                              initial_amount => 50, source => (SELECT bank FROM ids))$$,
                'the application role can create and load a card');
SELECT lives_ok($$SELECT accounts.accounts_redeem('TAP-1', ARRAY[(SELECT id FROM card)], ARRAY[20.00])$$,
                'and redeem from it');
SELECT lives_ok($$SELECT accounts.accounts_reverse(max(id)) FROM accounts.transfer$$, 'and reverse a transfer');
SELECT lives_ok($$SELECT accounts.accounts_freeze((SELECT id FROM card))$$, 'and freeze the card');
SELECT lives_ok($$SELECT accounts.accounts_lookup_code('tapcard', '192.0.2.1')$$, 'and look a code up');
SELECT throws_ok($$UPDATE accounts.account SET balance = 1000000$$, '42501', NULL,
                 'the application role cannot write balances directly');
SELECT throws_ok($$UPDATE accounts.account SET status = 'Open'$$, '42501', NULL, 'nor statuses');
SELECT throws_ok($$INSERT INTO accounts.account (code) VALUES ('FORGED')$$, '42501', NULL, 'nor insert accounts');
SELECT throws_ok($$INSERT INTO accounts.posting (transfer_id, account_id, amount) VALUES (1, 1, 1)$$, '42501', NULL,
                 'nor insert postings');
SELECT throws_ok($$DELETE FROM accounts.transfer$$, '42501', NULL, 'nor delete transfers');
SELECT throws_ok($$DELETE FROM accounts.hot_credit$$, '42501', NULL, 'nor delete pending credits');
SELECT throws_ok($$UPDATE accounts.ip_address_record SET total_failures = 0$$, '42501', NULL,
                 'nor reset its brute-force counters');
SELECT throws_ok($$SELECT accounts.accounts_init()$$, '42501', NULL, 'nor change the chart of accounts');
SELECT throws_ok($$SELECT accounts.accounts_import_transfer(1, 3, 1, now())$$, '42501', NULL, 'nor import history');
SELECT throws_ok($$SET oscar_accounts.lookup_block_threshold = 1000000$$, '42501', NULL,
                 'nor lift the look-up limits');
SELECT is((SELECT balance FROM accounts.account WHERE code = 'TAPCARD'), 50.00, 'balance after load, redeem, reverse');
RESET ROLE;

SET ROLE tap_reporting;
SELECT is((SELECT count(*)::int FROM accounts.accounts_verify()), 0, 'the reporting role can audit the ledger');
SELECT is((SELECT accounts.accounts_balance(redemptions) = (SELECT balance FROM accounts.account_balance
                                                             WHERE account_id = redemptions) FROM ids),
          true, 'and read exact balances');
SELECT is((SELECT balance FROM accounts.deferred_income_report WHERE account_type = 'Total'), 50.00,
          'and read the deferred income report');
SELECT is((SELECT count(*)::int FROM accounts.profit_loss_report WHERE line = 'total increase'), 1,
          'and the profit and loss report');
SELECT throws_ok($$SELECT accounts.accounts_import_transfer(1, 3, 1, now())$$, '42501', NULL,
                 'but cannot import history');
SELECT throws_ok($$SELECT accounts.accounts_transfer(bank, redemptions, 1) FROM ids$$, '42501', NULL,
                 'the reporting role cannot move money');
SELECT throws_ok($$SELECT accounts.accounts_freeze(1)$$, '42501', NULL, 'nor freeze an account');
RESET ROLE;

SET ROLE tap_nobody;
SELECT throws_ok($$SELECT count(*) FROM accounts.account$$, '42501', NULL, 'an ungranted role cannot read accounts');
SELECT throws_ok($$SELECT accounts.accounts_transfer(bank, redemptions, 1) FROM ids$$, '42501', NULL,
                 'nor move money');
SELECT throws_ok($$SELECT accounts.accounts_verify()$$, '42501', NULL, 'nor run the audit');
RESET ROLE;

-- A caller's own objects on its search_path cannot hijack the SECURITY DEFINER functions.
CREATE SCHEMA tap_evil;
CREATE FUNCTION tap_evil.upper(text) RETURNS text LANGUAGE sql AS $$ SELECT 'HIJACKED' $$;
CREATE FUNCTION tap_evil.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT '2000-01-01'::timestamptz $$;
CREATE TABLE tap_evil.account (id bigint);
SET search_path = tap_evil, public;
SELECT lives_ok($$SELECT accounts.accounts_transfer((SELECT bank FROM ids), (SELECT redemptions FROM ids), 1)$$,
                'transfer works with a hostile search_path');
SELECT is((SELECT code FROM accounts.accounts_create_account(code => 'evil-code')), 'EVILCODE',
          'codes are normalised by the extension''s own functions, not the caller''s');
RESET search_path;

SELECT * FROM finish();
ROLLBACK;
